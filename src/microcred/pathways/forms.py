"""The pathway editor's form: one group of components, or the whole rule tree as JSON.

Most pathways are one group ("all of these", "at least two of these"): the form builds
that tree from chosen published versions and external achievements. A pathway with nested
groups, credits, levels or time windows is written as the engine's JSON in ``rules``,
which then wins; the engine's errors name the field in that JSON.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.utils.formats import number_format
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from microcred.catalogue import services as catalogue
from microcred.organisations import services as organisations
from microcred.pathways import services

REQUIREMENTS = (
    ("all", _("All of the components")),
    ("atLeast", _("At least a number of them")),
)
EXTERNAL_HELP = _(
    "One external achievement a line: achievement id | issuer DID | achievement type | name, "
    "for example https://example.org/achievements/42 | did:web:example.org | Course | Statistics."
)


# How many micro-credentials Find components adds at most; more words narrow it.
COMPONENTS_FOUND = 25


class PathwayForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        required=False,
        help_text=_("Its address; made from the name when empty."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target = forms.TypedChoiceField(
        label=_("Target"),
        coerce=int,
        help_text=_("The published micro-credential a learner who completes it receives."),
    )
    requirement = forms.ChoiceField(label=_("Requirement"), choices=REQUIREMENTS, initial="all")
    at_least = forms.IntegerField(
        label=_("At least"),
        min_value=1,
        required=False,
        help_text=_("How many, when at least a number of them."),
    )
    components = forms.TypedMultipleChoiceField(
        label=_("Components"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Published micro-credentials of this platform: the organisation's own, those "
            "ticked, and those the words below find."
        ),
    )
    find = forms.CharField(
        label=_("Find components"),
        max_length=200,
        required=False,
        help_text=_(
            "Words of other organisations' micro-credentials: Find components adds what they "
            "find to the list above, keeping what is ticked and written."
        ),
    )
    external = forms.CharField(
        label=_("External achievements"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=EXTERNAL_HELP,
    )
    rules = forms.CharField(
        label=_("Rules as JSON"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "Nested groups, credits, levels, results and time windows, in the engine's "
            "format; when given it replaces the group above."
        ),
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        """Offer as components the organisation's own published versions, those ticked and
        those the words of ``find`` find: never the whole catalogue, which a national
        platform counts in hundreds of thousands."""
        super().__init__(*args, **kwargs)
        own = catalogue.get_published_versions(organisation=organisation.slug)
        cast(forms.TypedChoiceField, self.fields["target"]).choices = [
            (version.pk, f"{version.title} (v{version.number})") for version in own
        ]
        given = self.data if self.is_bound else self.initial
        ticked = (
            given.getlist("components") if hasattr(given, "getlist") else given.get("components")
        )
        chosen = {int(pk) for pk in ticked or () if str(pk).isdigit()}
        # What the form may build rules from; a version only found is a label until ticked.
        self.versions = {version.pk: version for version in own}
        self.versions |= catalogue.get_listed_versions(chosen - self.versions.keys())
        offered = dict(self.versions)
        if words := str(given.get("find") or "").strip()[:200]:
            found = catalogue.search_catalogue(q=words, limit=COMPONENTS_FOUND).versions
            offered |= {version.pk: version for version in found if version.pk not in offered}
        cast(forms.TypedMultipleChoiceField, self.fields["components"]).choices = [
            (pk, f"{version.title} · {version.microcredential.organisation.name}")
            for pk, version in offered.items()
        ]

    @staticmethod
    def posted(data: Any) -> dict[str, Any]:
        """Return what a designer posted as a form's initial values, to show it again with
        the components their words find (Find components saves nothing)."""
        return {**data.dict(), "components": data.getlist("components")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is None:  # a Form's clean() returns its cleaned_data
            raise ValueError("The form has no cleaned data.")
        if self.errors:
            return data
        if data.get("rules", "").strip():
            return data
        children = [self._platform(self.versions[pk]) for pk in data.get("components", [])]
        for number, line in enumerate(data.get("external", "").splitlines(), start=1):
            if line.strip():
                children.append(self._external(number, line))
        if not children:
            self.add_error(
                "components", gettext("Choose at least one component, or write the rules.")
            )
            return data
        require: dict[str, Any] = {"all": True}
        if data["requirement"] == "atLeast":
            if not data.get("at_least"):
                self.add_error("at_least", gettext("Say how many of the components are needed."))
                return data
            require = {"atLeast": data["at_least"]}
        data["rules"] = json.dumps(
            {
                "kind": "group",
                "key": "pathway",
                "name": data["name"],
                "require": require,
                "children": children,
            }
        )
        return data

    @staticmethod
    def _platform(version: Any) -> dict[str, Any]:
        return {
            "kind": "component",
            "key": version.microcredential.slug,
            "name": version.title,
            "achievement": catalogue.achievement_id(version),
            "issuer": organisations.organisation_did(version.microcredential.organisation),
            "achievementType": version.achievement_type,
        }

    def _external(self, number: int, line: str) -> dict[str, Any]:
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or not all(parts):
            self.add_error(
                "external",
                gettext("Line %(number)s needs four parts separated by |.") % {"number": number},
            )
            return {}
        achievement, issuer, kind, name = parts
        return {
            "kind": "component",
            "key": slugify(name)[:60] or f"external-{number}",
            "name": name,
            "achievement": achievement,
            "issuer": issuer,
            "achievementType": kind,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "slug": data["slug"] or None,
            "description": data["description"],
            "target": self.versions[data["target"]],
            "rules": data["rules"],
        }


class ImportCredentialForm(forms.Form):
    """A credential from another issuer: pasted, or uploaded as a file or a badge image."""

    credential = forms.CharField(
        label=_("Paste a credential"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Open Badges 3.0 JSON, a VC-JWT (eyJ…), or an Open Badges 2.0 assertion "
            "(JSON, signed, or the address of a hosted one), as your issuer gave it."
        ),
    )
    file = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=format_lazy(
            _(
                "A .json or .jwt file, or a badge image (PNG or SVG) with the credential "
                "baked in; at most {megabytes} MB."
            ),
            megabytes=services.MAX_IMPORT_BYTES // (1024 * 1024),
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > services.MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                gettext("The file is %(size)s bytes; files up to %(limit)s bytes are imported.")
                % {
                    "size": number_format(upload.size, force_grouping=True),
                    "limit": number_format(services.MAX_IMPORT_BYTES, force_grouping=True),
                },
                code="too_large",
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        text = (cleaned.get("credential") or "").strip()
        if not text and cleaned.get("file") is None:
            raise forms.ValidationError(
                gettext("Paste a credential or choose a file."), code="nothing"
            )
        if text and cleaned.get("file") is not None:
            raise forms.ValidationError(
                gettext("Paste a credential or upload a file, not both."), code="both_given"
            )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """Return the document and where it came from, for ``add_external_credential``."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return {"document": upload.read(), "source": upload.name or "uploaded file"}
        return {"document": self.cleaned_data["credential"]}
