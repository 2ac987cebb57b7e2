"""The upload form of bulk issuing."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from microcred.bulk.services import COLUMNS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _(
                "UTF-8 CSV with a header naming its columns: {columns}. version is the "
                "achievement id of a published version; give learner_email, learner_did or both."
            ),
            columns=", ".join(COLUMNS),
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=(("ldp", _("JSON with a Data Integrity proof")), ("jwt", "VC-JWT")),
        initial="ldp",
    )
    good_rows_only = forms.BooleanField(
        label=_("Issue the good rows"),
        required=False,
        help_text=_("Report bad rows and issue the others; otherwise one bad row issues nothing."),
    )
