from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="ELM document",
        help_text="A European Digital Credential or an ELM Qualification / "
        "LearningAchievementSpecification: ELM 3.1 JSON-LD or ELM 3.2 JSON, at most 2 MB.",
    )
