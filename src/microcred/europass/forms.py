from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("ELM document"),
        help_text=_(
            "A European Digital Credential or an ELM Qualification / "
            "LearningAchievementSpecification: ELM 3.1 JSON-LD or ELM 3.2 JSON, at most 2 MB."
        ),
    )
