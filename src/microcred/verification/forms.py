"""The public verification form: paste a credential or upload a file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label=_("Paste a credential"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "placeholder": _("JSON, JSON Lines or a compact JWT (eyJ...)"),
                "spellcheck": "false",
            }
        ),
        help_text=_(
            "An Open Badges 3.0 / Verifiable Credential in JSON, a VC-JWT, a CLR, or an "
            "Open Badges 2.0 assertion."
        ),
    )
    file = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_(
            "A .json or .jwt file, or a badge image (PNG or SVG) with a credential baked in."
        ),
    )

    email = forms.EmailField(
        label=_("Check an email address (optional)"),
        required=False,
        help_text=_(
            "A credential may name its holder by a hashed email address: type one to "
            "check whether it was issued to that address. It is not stored."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None:
            limit = settings.VERIFY_MAX_UPLOAD_BYTES
            if upload.size > limit:
                raise forms.ValidationError(
                    gettext("The file is %(size)s bytes; files up to %(limit)s bytes are accepted.")
                    % {
                        "size": number_format(upload.size, force_grouping=True),
                        "limit": number_format(limit, force_grouping=True),
                    },
                    code="too_large",
                )
            if upload.size == 0:
                raise forms.ValidationError(gettext("The file is empty."), code="empty")
        return upload

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("credential") or "").strip()
        upload = cleaned.get("file")
        if self.errors:
            return cleaned
        if not text and upload is None:
            raise forms.ValidationError(
                gettext("Paste a credential or choose a file to verify."),
                code="nothing_to_verify",
            )
        if text and upload is not None:
            raise forms.ValidationError(
                gettext("Paste a credential or upload a file, not both."), code="both_given"
            )
        cleaned["credential"] = text
        return cleaned

    def payload(self) -> tuple[bytes, str]:
        """Return the bytes to verify and a label for where they came from."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(), upload.name
        return self.cleaned_data["credential"].encode("utf-8"), gettext("pasted text")
