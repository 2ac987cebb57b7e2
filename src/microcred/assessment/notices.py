"""Emails that keep learners and reviewers informed: received, assigned, feedback, decision,
award.

Each notice is sent when the transaction that caused it commits, so a change rolled back
never announces itself; the email backend is Django's (the console by default). A peer is
never named to the learner, and a learner never to a peer. A notice is written in the
language of the page whose action caused it: accounts keep no language of their own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from microcred.assessment.models import Enrolment, Review, ReviewRole, Submission
from microcred.core import public_urls

__all__ = [
    "award_issued",
    "decision_made",
    "feedback_given",
    "review_assigned",
    "submission_received",
]


def _url(name: str, **kwargs: Any) -> str:
    return f"{settings.PUBLIC_URL}{reverse(name, kwargs=kwargs)}"


def _send(template: str, subject: str, recipient: str, context: dict[str, Any]) -> None:
    if not recipient:
        return
    message = render_to_string(f"assessment/learner/email/{template}.txt", context)

    def send() -> None:
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient],
        )

    transaction.on_commit(send)


def _learner_context(submission: Submission) -> dict[str, Any]:
    learner = submission.enrolment.learner
    return {
        "name": learner.get_full_name() or learner.get_username(),
        "submission": submission,
        "version": submission.enrolment.version,
        "url": _url("assessment:submission", uuid=submission.uuid),
    }


def submission_received(submission: Submission) -> None:
    """Tell the learner their attempt was received and when the decision is due."""
    version = submission.enrolment.version
    _send(
        "received",
        gettext("Received: your submission for %(title)s") % {"title": version.title},
        submission.enrolment.learner.email,
        _learner_context(submission),
    )


def review_assigned(review: Review) -> None:
    """Tell a reviewer a submission awaits them, with the link to their review; a peer is not
    told whose work it is."""
    version = review.submission.enrolment.version
    _send(
        "assigned",
        gettext("A submission for %(title)s awaits your review") % {"title": version.title},
        review.reviewer.email,
        {
            "review": review,
            "version": version,
            "url": _url("assessment:review", review_uuid=review.uuid),
            "peer": review.role == ReviewRole.PEER,
        },
    )


def feedback_given(review: Review) -> None:
    """Tell the learner a review was completed, naming only its role."""
    submission = review.submission
    context = _learner_context(submission)
    context["review"] = review
    _send(
        "feedback",
        gettext("Feedback on your submission for %(title)s")
        % {"title": submission.enrolment.version.title},
        submission.enrolment.learner.email,
        context,
    )


def decision_made(submission: Submission) -> None:
    """Tell the learner the decision on their attempt: pass, resubmit or fail."""
    _send(
        "decision",
        gettext("Decision on your submission for %(title)s")
        % {"title": submission.enrolment.version.title},
        submission.enrolment.learner.email,
        _learner_context(submission),
    )


def award_issued(enrolment: Enrolment) -> None:
    """Tell the learner their credential is on their dashboard.

    The awards service already emails the address a credential was issued to; this
    notice goes only when that address is not the learner's account address.
    """
    award = enrolment.award
    learner = enrolment.learner
    if award is None or (award.learner_email or "").lower() == learner.email.lower():
        return
    _send(
        "award",
        gettext("Your credential: %(title)s") % {"title": enrolment.version.title},
        learner.email,
        {
            "name": learner.get_full_name() or learner.get_username(),
            "version": enrolment.version,
            "url": public_urls.learner_dashboard_url(),
            "credential_url": public_urls.credential_url(award.uuid),
        },
    )
