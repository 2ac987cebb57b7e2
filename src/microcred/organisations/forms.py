"""Forms of the organisation pages: they read the input; the services check and act."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from microcred.core.iso_names import country_choices
from microcred.organisations.models import Organisation, OrganisationType, Role
from microcred.organisations.profile import ACCREDITATION_KEYS, IDENTIFIER_KEYS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _lines_to_entries(text: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """Read one entry per line, its parts separated by ``|`` in the order of ``keys``."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > len(keys):
            raise forms.ValidationError(
                gettext("Line %(number)s has %(parts)s parts; write at most %(most)s: %(keys)s.")
                % {
                    "number": number,
                    "parts": len(parts),
                    "most": len(keys),
                    "keys": " | ".join(keys),
                }
            )
        entries.append({key: part for key, part in zip(keys, parts, strict=False) if part})
    return entries


def _entries_to_lines(entries: list[dict[str, str]], keys: tuple[str, ...]) -> str:
    lines = (" | ".join(entry.get(key, "") for key in keys) for entry in entries)
    return "\n".join(line.rstrip(" |") for line in lines)


def _country_choices() -> list[tuple[str, StrOrPromise]]:
    """Read each time a form is made, so the names follow the visitor's language."""
    return [("", gettext("Choose a country")), *country_choices()]


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    legal_name = forms.CharField(label=_("Legal name"), max_length=300, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    url = forms.CharField(label=_("Website"), required=False, help_text="https://…")
    email = forms.CharField(label=_("Contact email address"), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    accreditations = forms.CharField(
        label=_("Accreditations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "One per line: what it is accredited as or for | accrediting body | web address."
        ),
    )
    identifiers = forms.CharField(
        label=_("Identifiers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "One per line: identifier | type. Types are Open Badges identifier types "
            "(sourcedId, systemId, …) or extensions such as ext:ErasmusCode or ext:PIC."
        ),
    )

    eidas_identifier = forms.CharField(
        label=_("eIDAS legal identifier"),
        max_length=200,
        required=False,
        help_text=_("For European Digital Credentials (Europass), such as BE/BE/0123456789."),
    )

    def clean_accreditations(self) -> list[dict[str, str]]:
        return _lines_to_entries(self.cleaned_data["accreditations"], ACCREDITATION_KEYS)

    def clean_identifiers(self) -> list[dict[str, str]]:
        return _lines_to_entries(self.cleaned_data["identifiers"], IDENTIFIER_KEYS)

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "legal_name": organisation.legal_name,
            "type": organisation.type,
            "country": organisation.country,
            "region": organisation.region,
            "url": organisation.url,
            "email": organisation.email,
            "description": organisation.description,
            "accreditations": _entries_to_lines(organisation.accreditations, ACCREDITATION_KEYS),
            "identifiers": _entries_to_lines(organisation.identifiers, IDENTIFIER_KEYS),
            "eidas_identifier": organisation.eidas_identifier,
        }


class NewOrganisationForm(ProfileForm):
    slug = forms.CharField(
        label=_("Slug"),
        max_length=60,
        required=False,
        help_text=_(
            "Lowercase letters, digits and hyphens; part of its DID and web address. "
            "Made from the name when empty. It cannot change later."
        ),
    )
    owner = forms.CharField(
        label=_("First owner"),
        required=False,
        help_text=_("Username or email address of an existing account; you when empty."),
    )
    field_order = ["name", "slug", "owner"]


class MemberRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


class CompromiseForm(forms.Form):
    """Marking a key compromised cannot be undone, so the form says how many credentials stop
    verifying (:meth:`say_signed`) and asks to be confirmed."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What happened; it is kept in the audit log."),
    )
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to confirm that the key is compromised.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.say_signed(None)

    def say_signed(self, signed: int | None) -> None:
        """Put into the confirmation how many credentials the key signed."""
        if signed is None:
            label = gettext(
                "I understand: the key leaves the DID document and every credential it signed "
                "stops verifying for everyone, for good; they must be issued again."
            )
        else:
            label = ngettext(
                "I understand: the key leaves the DID document and the %(count)s credential it "
                "signed stops verifying for everyone, for good; they must be issued again.",
                "I understand: the key leaves the DID document and the %(count)s credentials it "
                "signed stop verifying for everyone, for good; they must be issued again.",
                signed,
            ) % {"count": signed}
        # On the bound field too: a form already validated has made it with the old label.
        self.fields["confirm"].label = self["confirm"].label = label


class InviteForm(forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        help_text=_(
            "They receive a link that works once, for 7 days; with it they sign in or "
            "create their account and join."
        ),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


class InvitedAccountForm(forms.Form):
    """The account of an invited person who has none; the service checks the password against
    the platform's password validators."""

    display_name = forms.CharField(label=_("Your name"), max_length=200)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("password")
            and cleaned.get("password_again")
            and cleaned["password"] != cleaned["password_again"]
        ):
            self.add_error(
                "password_again", gettext("The two passwords differ; type the same twice.")
            )
        return cleaned
