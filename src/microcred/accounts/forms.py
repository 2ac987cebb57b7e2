"""Forms of the account pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from microcred.accounts.models import User


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as “registry sync”; to tell your tokens apart."),
    )


class DeleteAccountForm(forms.Form):
    """Asks for the password (or, for an account that signs in through an institution, the
    word "delete"), so that a session left open on a shared computer cannot delete it.

    The word is asked in the page's language; the English word is accepted in any language,
    so that the word a person was told once keeps working.
    """

    CONFIRMATION_WORD = "delete"

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=_("Your password"), widget=forms.PasswordInput, strip=False
            )
        else:
            self.fields["confirmation"] = forms.CharField(
                label=gettext("Type “%(word)s” to confirm") % {"word": self.confirmation_word()}
            )

    @classmethod
    def confirmation_word(cls) -> str:
        """The word to type, in the active language."""
        return pgettext("the word typed to confirm deleting an account", "delete")

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("This is not your password."))
        return password

    def clean_confirmation(self) -> str:
        confirmation: str = self.cleaned_data["confirmation"]
        accepted = {self.CONFIRMATION_WORD, self.confirmation_word().lower()}
        if confirmation.strip().lower() not in accepted:
            raise forms.ValidationError(
                gettext("Type the word “%(word)s”.") % {"word": self.confirmation_word()}
            )
        return confirmation
