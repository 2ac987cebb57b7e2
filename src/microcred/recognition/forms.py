"""Forms of the recognition pages: apply, propose, decide, publish a transfer value."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from microcred.frameworks.credits import SYSTEMS
from microcred.recognition.models import Decision, LearningSetting


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way); the service checks each one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
EVIDENCE_FILES_HELP = _(
    "PDF, PNG or JPEG, up to 10 MB each and 5 in all: certificates, pages of a portfolio, "
    "photographs of your work."
)


class EvidenceFilesForm(forms.Form):
    evidence_files = MultipleFileField(label=_("Attach files"), help_text=EVIDENCE_FILES_HELP)


class ChooseVersionForm(forms.Form):
    """The search that finds the published version a learner asks recognition as."""

    q = forms.CharField(label=_("Search the catalogue"), required=False, max_length=200)


class ApplyForm(forms.Form):
    """A request for recognition as one published version, which the page names beside the
    form (a choice among every version would list the whole catalogue)."""

    statement = forms.CharField(
        label=_("What you learned, where and how"),
        widget=forms.Textarea,
        max_length=10_000,
        help_text=_("Say which learning outcomes your experience covers."),
    )
    learning_setting = forms.ChoiceField(
        label=_("Where the learning happened"),
        choices=LearningSetting.choices,
        help_text=_(
            "Non-formal: organised learning outside a qualification (a course, a workshop). "
            "Informal: learning from work or life."
        ),
    )
    credential = forms.CharField(
        label=_("Paste a credential"),
        required=False,
        widget=forms.Textarea(attrs={"spellcheck": "false", "placeholder": "JSON or eyJ..."}),
        help_text=_(
            "An Open Badges credential in JSON, or a VC-JWT. It is verified as you submit."
        ),
    )
    file = forms.FileField(
        label=_("…and/or upload one"),
        required=False,
        help_text=_(
            "A .json or .jwt file, or a badge image (PNG or SVG) with a credential inside."
        ),
    )
    evidence = forms.CharField(
        label=_("Other evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One item per line: a web address, or a few words on what shows your learning."
        ),
    )
    evidence_files = MultipleFileField(
        label=_("Evidence files"), required=False, help_text=EVIDENCE_FILES_HELP
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > settings.VERIFY_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("Files up to %(size)s bytes are accepted.")
                % {"size": f"{settings.VERIFY_MAX_UPLOAD_BYTES:,}"}
            )
        return upload

    def submissions(self) -> list[tuple[bytes, str]]:
        """Return the credentials given, as bytes and where each came from."""
        given = []
        if text := self.cleaned_data.get("credential", "").strip():
            given.append((text.encode("utf-8"), "pasted text"))
        if upload := self.cleaned_data.get("file"):
            given.append((upload.read(), upload.name))
        return given

    def evidence_items(self) -> list[dict[str, str]]:
        items = []
        for line in self.cleaned_data.get("evidence", "").splitlines():
            if line := line.strip():
                is_url = line.startswith(("http://", "https://"))
                items.append({"url": line if is_url else "", "text": "" if is_url else line})
        return items


class ProposalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The learner reads these: name the outcomes met, or missing."),
    )
    credit_value = forms.DecimalField(
        label=_("Credits granted (partial recognition)"), required=False, min_value=0
    )
    credit_system = forms.ChoiceField(
        label=_("Credit system"),
        required=False,
        choices=[("", "—"), *((code, system.name) for code, system in SYSTEMS.items())],
    )


class DecisionForm(forms.Form):
    confirm = forms.ChoiceField(
        label=_("Confirm"),
        choices=[("yes", _("Confirm the proposal")), ("no", _("Return it to the queue"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return it: what should be looked at again."),
    )


class TransferValueForm(forms.Form):
    target_version = forms.ChoiceField(label=_("Counts toward"))
    source_achievement = forms.CharField(
        label=_("Achievement id"),
        max_length=500,
        help_text=_("The OB 3.0 achievement's id (a URL)."),
    )
    source_issuer = forms.CharField(
        label=_("Issuer id"),
        max_length=500,
        required=False,
        help_text=_("Its issuer's DID or URL."),
    )
    source_name = forms.CharField(label=_("Achievement name"), max_length=300)
    credits = forms.DecimalField(label=_("Credits"), required=False, min_value=0)
    credit_system = forms.ChoiceField(
        label=_("Credit system"),
        required=False,
        choices=[("", "—"), *((code, system.name) for code, system in SYSTEMS.items())],
    )
    component = forms.CharField(
        label=_("Counts as pathway component"), max_length=100, required=False
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, versions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target_version"]).choices = [
            (str(version.achievement_uuid), version.title) for version in versions
        ]


class ConvertForm(forms.Form):
    source = forms.ChoiceField(label=_("From the grading table"))
    grade = forms.CharField(label=_("Grade"), max_length=50)
    target = forms.ChoiceField(label=_("To the grading table"))

    def __init__(self, *args: Any, tables: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                str(table.uuid),
                f"{table.organisation.name}: {table.field_of_study} ({table.grading_system})",
            )
            for table in tables
        ]
        cast(forms.ChoiceField, self.fields["source"]).choices = choices
        cast(forms.ChoiceField, self.fields["target"]).choices = choices


class GradingTableForm(forms.Form):
    field_of_study = forms.CharField(
        label=_("Field of study"),
        max_length=200,
        help_text=_("The reference group: an ISCED-F field, such as 0613."),
    )
    grading_system = forms.CharField(
        label=_("Grading system"), max_length=200, help_text=_("Such as: Dutch 1-10.")
    )
    grades = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One passing grade a line, best first, with its percentage of all passing "
            "grades: for example '10 2.5'."
        ),
    )

    def clean_grades(self) -> list[list[Any]]:
        pairs = []
        for number, line in enumerate(self.cleaned_data["grades"].splitlines(), start=1):
            if not line.strip():
                continue
            grade, _, share = line.strip().rpartition(" ")
            try:
                pairs.append([grade.strip(), float(share)])
            except ValueError:
                raise forms.ValidationError(
                    gettext("Line %(number)s: write the grade, a space, and its percentage.")
                    % {"number": number}
                ) from None
        return pairs
