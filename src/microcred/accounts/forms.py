"""Forms of the account pages."""

from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, such as “registry sync”; to tell your tokens apart.",
    )
