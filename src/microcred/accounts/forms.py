"""Forms of the account pages."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.accounts.models import User


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, such as “registry sync”; to tell your tokens apart.",
    )


class DeleteAccountForm(forms.Form):
    """Asks for the password (or, for an account that signs in through an institution, the
    word "delete"), so that a session left open on a shared computer cannot delete it."""

    CONFIRMATION_WORD = "delete"

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label="Your password", widget=forms.PasswordInput, strip=False
            )
        else:
            self.fields["confirmation"] = forms.CharField(
                label=f"Type “{self.CONFIRMATION_WORD}” to confirm"
            )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("This is not your password.")
        return password

    def clean_confirmation(self) -> str:
        confirmation: str = self.cleaned_data["confirmation"]
        if confirmation.strip().lower() != self.CONFIRMATION_WORD:
            raise forms.ValidationError(f"Type the word “{self.CONFIRMATION_WORD}”.")
        return confirmation
