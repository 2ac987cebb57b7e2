"""Hosted verification: the assertion lives at its id, where its issuer allows it.

OB 2.0 "Hosted Verification": the assertion is fetched from its ``id`` and
must be the one presented; HTTP 410 or ``revoked: true`` means the issuer
has revoked it. The issuer's ``verification`` policy limits where it may
live ("VerificationObject").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from microcred.text import sentence
from microcred.vc.datamodel import as_list
from microcred.vc.errors import FetchError
from microcred.vc.ob2.documents import Presented, fetch_hosted
from microcred.vc.ob2.rules import HTTP_URL
from microcred.vc.ob2.session import Session
from microcred.vc.report import CheckStatus


def verify_hosted(session: Session, presented: Presented) -> None:
    """Fetch the assertion from its id and compare (OB 2.0 "Hosted Verification")."""
    assertion = presented.document
    url = assertion.get("id")
    if not isinstance(url, str) or not HTTP_URL.match(url):
        _unreachable(session, f"A hosted assertion's id must be its HTTP(S) URL; it is {url!r}.")
        return
    try:
        status, hosted = (200, assertion) if presented.url else fetch_hosted(session, url)
    except FetchError as exc:
        _unreachable(session, f"The hosted assertion cannot be fetched: {exc}")
        return
    if status == 410:
        session.skip("ob2.hosted", f"{url} is gone (HTTP 410): there is no copy to compare.")
        session.add(
            "ob2.revocation",
            CheckStatus.FAILED,
            sentence(
                "The issuer has revoked this assertion: %(url)s answers HTTP 410 Gone.",
                url=url,
            ),
        )
        return
    if hosted is None:
        _unreachable(session, f"{url} answered HTTP {status}.")
        return
    if presented.url is not None:
        session.add(
            "ob2.hosted",
            CheckStatus.PASSED,
            sentence(
                "The assertion was fetched from %(url)s.",
                url=url,
            ),
        )
    elif hosted == assertion:
        session.add(
            "ob2.hosted",
            CheckStatus.PASSED,
            sentence(
                "The assertion hosted at %(url)s is the one presented.",
                url=url,
            ),
        )
    else:
        differing = sorted(
            key for key in set(hosted) | set(assertion) if hosted.get(key) != assertion.get(key)
        )
        session.add(
            "ob2.hosted",
            CheckStatus.FAILED,
            sentence(
                "The assertion hosted at %(url)s differs from the one presented (%(differing)s).",
                url=url,
                differing=", ".join(differing),
            ),
            differing=differing,
        )
    if hosted.get("revoked") is True:
        session.revoked(hosted.get("revocationReason"))
    else:
        session.add(
            "ob2.revocation",
            CheckStatus.PASSED,
            sentence("The hosted assertion is not marked revoked."),
        )


def _unreachable(session: Session, message: str) -> None:
    """Fail ``ob2.hosted``; without the hosted copy, its revocation cannot be checked either."""
    session.add("ob2.hosted", CheckStatus.FAILED, message)
    session.skip("ob2.revocation", "The hosted assertion could not be fetched.")


def check_origin(
    session: Session,
    assertion: dict[str, Any],
    issuer: dict[str, Any] | None,
    badge: dict[str, Any] | None,
) -> None:
    """Apply the issuer's hosted verification policy (OB 2.0 "VerificationObject").

    ``startsWith`` limits the assertion URL's prefix, ``allowedOrigins``
    its host; without a policy the host must be the issuer id's host.
    """
    url = assertion.get("id")
    if issuer is None or not isinstance(url, str):
        session.skip("ob2.allowed_origins", "Without the issuer, its policy cannot be applied.")
        return
    policy: dict[str, Any] = next(
        (
            node["verification"]
            for node in (issuer, badge or {})
            if isinstance(node.get("verification"), dict)
        ),
        {},
    )
    starts = as_list(policy.get("startsWith"))
    if starts and not any(isinstance(s, str) and url.startswith(s) for s in starts):
        session.add(
            "ob2.allowed_origins",
            CheckStatus.FAILED,
            sentence(
                "The assertion URL %(url)s does not start with any value the issuer "
                "allows (%(allowed)s).",
                url=url,
                allowed=", ".join(map(str, starts)),
            ),
        )
        return
    issuer_id = issuer.get("id")
    origins = as_list(policy.get("allowedOrigins"))
    if not origins:
        if not isinstance(issuer_id, str) or not HTTP_URL.match(issuer_id):
            session.add(
                "ob2.allowed_origins",
                CheckStatus.WARNING,
                sentence(
                    "The issuer id %(issuer_id)s is not an HTTP(S) URL, so there is no "
                    "origin to check the hosted assertion's URL against.",
                    issuer_id=repr(issuer_id),
                ),
            )
            return
        origins = [urlsplit(issuer_id).hostname]
    host = urlsplit(url).hostname
    allowed = {origin.lower() for origin in origins if isinstance(origin, str)}
    if host not in allowed:
        session.add(
            "ob2.allowed_origins",
            CheckStatus.FAILED,
            sentence(
                "The assertion is hosted on %(host)s, which the issuer does not allow "
                "(%(allowed)s).",
                host=host,
                allowed=", ".join(sorted(allowed)),
            ),
        )
        return
    session.add(
        "ob2.allowed_origins",
        CheckStatus.PASSED,
        sentence(
            "The assertion is hosted where its issuer allows (%(host)s).",
            host=host,
        ),
    )
