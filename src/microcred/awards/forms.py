"""Forms of the staff pages: issue an award, change its status with a reason."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from microcred.awards.models import CredentialFormat
from microcred.catalogue import services as catalogue
from microcred.core.words import long_date
from microcred.vc.clr import ASSOCIATION_TYPES

# Where a service's error field lands in the issue form.
FORM_FIELDS = {
    "version": "version",
    "learner_email": "learner_email",
    "learner_did": "learner_did",
    "learner_name": "learner_name",
    "result.grade": "grade",
    "result.score": "score",
    "narrative": "narrative",
    "evidence[0]": "evidence_url",
    "evidence[0].id": "evidence_url",
    "format": "format",
}


class IssueForm(forms.Form):
    version = forms.TypedChoiceField(
        label=_("Micro-credential"),
        coerce=int,
        help_text=_(
            "The latest published version of each of the organisation's micro-credentials."
        ),
    )
    learner_email = forms.EmailField(
        label=_("Learner's email address"),
        required=False,
        help_text=_(
            "The learner is told by email; the credential carries only a salted hash of it."
        ),
    )
    learner_did = forms.CharField(
        label=_("Learner's DID"),
        required=False,
        max_length=500,
        help_text=_(
            "For a learner with a wallet: did:key:… or did:web:…. Give a DID, an email "
            "address, or both."
        ),
    )
    learner_name = forms.CharField(label=_("Learner's name"), required=False, max_length=300)
    grade = forms.CharField(label=_("Grade"), required=False, max_length=100)
    score = forms.CharField(label=_("Score"), required=False, max_length=100)
    narrative = forms.CharField(
        label=_("What the learner did"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A short narrative, shown on the credential."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence URL"),
        required=False,
        assume_scheme="https",
        help_text=_("A page with the learner's work, if public."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=CredentialFormat.choices,
        initial=CredentialFormat.DATA_INTEGRITY,
        help_text=_(
            "JSON with a Data Integrity proof suits most wallets; VC-JWT is for those "
            "that ask for it."
        ),
    )

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {version.pk: version for version in versions}
        cast(forms.ChoiceField, self.fields["version"]).choices = [
            ("", gettext("Choose a published micro-credential"))
        ] + [
            (
                version.pk,
                gettext("%(title)s (version %(number)s)")
                % {"title": version.title, "number": version.number},
            )
            for version in versions
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not cleaned.get("learner_email") and not cleaned.get("learner_did"):
            self.add_error("learner_email", gettext("Give the learner's email address or DID."))
        return cleaned

    def issue_arguments(self) -> dict[str, Any]:
        """Return the form's data as keyword arguments of ``issue_award``."""
        data = self.cleaned_data
        result = {key: data[key] for key in ("grade", "score") if data[key]}
        return {
            "version": self.versions[data["version"]],
            "learner_email": data["learner_email"] or None,
            "learner_did": data["learner_did"] or None,
            "learner_name": data["learner_name"] or None,
            "result": result or None,
            "narrative": data["narrative"] or None,
            "evidence": [data["evidence_url"]] if data["evidence_url"] else None,
            "format": data["format"],
        }

    def add_service_error(self, field: str | None, message: str) -> None:
        self.add_error(FORM_FIELDS.get(field or ""), message)


class StatusChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Private reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For the organisation's staff: kept with the award and in the audit log, "
            "never shown to the public."
        ),
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown on the credential's page and emailed to the learner. Left empty, "
            "they read a neutral one, such as “Revoked by the issuer.”"
        ),
    )


class RevokeForm(StatusChangeForm):
    """Revoking cannot be undone, so the form says what it does and asks to be confirmed."""

    confirm = forms.BooleanField(
        label=_(
            "I understand: from now on the credential fails verification for everyone who "
            "checks it, its page says it was revoked and why, and this cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm that the credential is revoked.")},
    )


class LearnerForm(forms.Form):
    """Step one of issuing a learner record: whose credentials to choose from."""

    learner = forms.CharField(
        label=_("Learner's username or email address"),
        max_length=254,
        help_text=_("The learner's account; their credentials from this organisation are listed."),
    )


class LearnerRecordForm(forms.Form):
    """Step two: which of the learner's credentials the record nests, and how their
    achievements relate (CLR 2.0 associations: source, type, target)."""

    # Rows of associations offered at once; a registrar needing more issues through the API.
    ASSOCIATION_ROWS = 4

    learner = forms.CharField(max_length=254, widget=forms.HiddenInput)
    awards = forms.MultipleChoiceField(
        label=_("Credentials to include"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each is nested exactly as it was signed. Valid credentials only."),
    )

    def __init__(self, *args: Any, awards: list[Any] | None = None, **kwargs: Any) -> None:
        """``awards`` are the credentials to offer; a posted form accepts the UUIDs and
        achievement ids posted, which the issuing service checks (it alone authorises the
        request, and refuses an association naming an achievement the record does not hold)."""
        super().__init__(*args, **kwargs)
        achievements: list[tuple[str, str]] = []
        if awards is not None:
            cast(forms.MultipleChoiceField, self.fields["awards"]).choices = [
                (
                    str(award.uuid),
                    gettext("%(title)s (issued %(date)s)")
                    % {"title": award.version.title, "date": long_date(award.issued_at)},
                )
                for award in awards
            ]
            achievements = list(
                dict.fromkeys(
                    (catalogue.achievement_id(award.version), award.version.title)
                    for award in awards
                )
            )
        elif self.is_bound:
            data = cast(QueryDict, self.data)
            cast(forms.MultipleChoiceField, self.fields["awards"]).choices = [
                (value, value) for value in data.getlist("awards")
            ]
            achievements = [
                (value, value)
                for row in range(self.ASSOCIATION_ROWS)
                for end in ("source", "target")
                if (value := data.get(f"association_{row}_{end}"))
            ]
        types = [("", "—"), *((kind, kind) for kind in sorted(ASSOCIATION_TYPES))]
        for row in range(self.ASSOCIATION_ROWS):
            for end in ("source", "target"):
                label = (
                    gettext("Association %(number)s: source")
                    if end == "source"
                    else gettext("Association %(number)s: target")
                ) % {"number": row + 1}
                self.fields[f"association_{row}_{end}"] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), *achievements],
                    widget=forms.Select(attrs={"aria-label": label}),
                )
            label = gettext("Association %(number)s: type") % {"number": row + 1}
            self.fields[f"association_{row}_type"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=types,
                widget=forms.Select(attrs={"aria-label": label}),
            )

    def association_rows(self) -> list[tuple[Any, Any, Any]]:
        """Return the (source, type, target) fields of each row, for the template."""
        return [
            (
                self[f"association_{row}_source"],
                self[f"association_{row}_type"],
                self[f"association_{row}_target"],
            )
            for row in range(self.ASSOCIATION_ROWS)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in range(self.ASSOCIATION_ROWS):
            source, kind, target = (
                cleaned.get(f"association_{row}_{part}") for part in ("source", "type", "target")
            )
            if not (source or kind or target):
                continue
            if not (source and kind and target):
                self.add_error(
                    f"association_{row}_type",
                    gettext("Give a source, a type and a target, or leave the row empty."),
                )
            elif source == target:
                self.add_error(
                    f"association_{row}_target",
                    gettext("An achievement cannot be associated with itself."),
                )
        return cleaned

    def associations(self) -> list[tuple[str, str, str]]:
        """Return the filled rows as (source achievement id, target achievement id, type)."""
        rows = []
        for row in range(self.ASSOCIATION_ROWS):
            source = self.cleaned_data.get(f"association_{row}_source")
            kind = self.cleaned_data.get(f"association_{row}_type")
            target = self.cleaned_data.get(f"association_{row}_target")
            if source and kind and target:
                rows.append((source, target, kind))
        return rows
