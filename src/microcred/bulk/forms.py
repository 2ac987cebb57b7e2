"""The upload form of bulk issuing."""

from __future__ import annotations

from django import forms

from microcred.bulk.services import COLUMNS


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with a header naming its columns: "
        + ", ".join(COLUMNS)
        + ". version is the achievement id of a published version; give learner_email, "
        "learner_did or both.",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=(("ldp", "JSON with a Data Integrity proof"), ("jwt", "VC-JWT")),
        initial="ldp",
    )
    good_rows_only = forms.BooleanField(
        label="Issue the good rows",
        required=False,
        help_text="Report bad rows and issue the others; otherwise one bad row issues nothing.",
    )
