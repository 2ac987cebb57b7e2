"""Forms of the catalogue's pages: the public search, and the staff's design form.

The forms turn what a browser sends into the values the services take; the
services check the rules and their errors are shown next to the field they
name (:func:`show_error`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from microcred.catalogue.fields import FIELDS_BY_NAME, SPECIFICATION, Kind, SpecField
from microcred.catalogue.models import MicroCredentialVersion, Rubric
from microcred.catalogue.services import CatalogueChoices
from microcred.core.iso_names import ISO_CATALOGUES, iso_names
from microcred.errors import MicrocredError
from microcred.frameworks.credits import SYSTEMS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_AREA = forms.Textarea(attrs={"rows": 3})


def choices_of(field: SpecField) -> list[tuple[str, StrOrPromise]]:
    """Return the form's choices of a declared field, the blank one first where it may be
    left empty; countries and currencies by their names in the reader's language."""
    blank = [("", field.blank_choice)] if field.blank else []
    choices: list[tuple[str, StrOrPromise]] = [
        (str(value), label) for value, label in field.choices
    ]
    if field.name in ISO_CATALOGUES:
        choices = iso_names(ISO_CATALOGUES[field.name], choices)
    return [*blank, *choices]


EQF_CHOICES = choices_of(FIELDS_BY_NAME["eqf_level"])


def _words(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _language_in_words(code: str, english: str) -> str:
    """Return a language's name in the reader's language: the English name (ISO 639) for an
    English reader, otherwise Django's translation of the name where it knows the language
    (``de`` reads Deutsch in German, ``en-IE`` Englisch (en-IE))."""
    if (translation.get_language() or "en").startswith("en"):
        return english
    primary = code.split("-")[0].lower()
    try:
        name = str(translation.get_language_info(primary)["name_translated"])
    except KeyError:
        return english
    return name if code.lower() == primary else f"{name} ({code})"


class LongSelect(forms.Select):
    """A select of many options written in Python, exactly as Django's templates write it.

    Django's template renders a template per option: the catalogue's 500
    organisations made its filter the costliest part of the page. Options
    only (no groups), as the catalogue's filters have them.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        # The standard library's escape: what Django's escape does, without the check for
        # lazy text that costs a few microseconds on each of a thousand values.
        options = "".join(
            '\n  <option value="{}"{}>{}</option>\n'.format(
                html.escape(str(option["value"])),
                " selected" if option["selected"] else "",
                html.escape(str(option["label"])),
            )
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            _attributes(widget["attrs"]),
            mark_safe(options),  # every value in it is escaped above
        )


class KnownChoices(BaseChoiceIterator):
    """Choices already written as ``(value, label)`` pairs: Django takes them as they are
    instead of walking the catalogue's 500 organisations each time a field or widget is
    given them (seven times a request)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """Write a widget's attributes as Django's attrs.html does: in their order, a true one
    by its name alone, a false one not at all."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


# The catalogue shows its results a page at a time; the page numbers stop at 10,000 results
# (of 25 a page), more than anyone reads: words and filters find the rest.
LAST_PAGE = 400


class SearchForm(forms.Form):
    """The catalogue's search box and filters (all optional).

    The organisation and language filters offer only what the catalogue lists
    (``choices``): an organisation by its name, a language by its English name.
    """

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False, widget=LongSelect)
    eqf_level = forms.TypedChoiceField(
        label=_("EQF level"),
        choices=[("", _("Any level")), *(pair for pair in EQF_CHOICES if pair[0])],
        coerce=int,
        empty_value=None,
        required=False,
    )
    credits_min = forms.DecimalField(label=_("ECTS from"), required=False, min_value=0)
    credits_max = forms.DecimalField(label=_("ECTS to"), required=False, min_value=0)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=LongSelect)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=LAST_PAGE)

    def __init__(self, *args: Any, choices: CatalogueChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = sorted(
            ((code, _language_in_words(code, name)) for code, name in choices.languages),
            key=lambda pair: pair[1].casefold(),
        )
        offered = {
            "organisation": [("", gettext("Any organisation")), *choices.organisations],
            "language": [("", gettext("Any language")), *languages],
        }
        for name, options in offered.items():
            cast(forms.ChoiceField, self.fields[name]).choices = KnownChoices(options)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("credits_min"), data.get("credits_max")
        if low is not None and high is not None and low > high:
            self.add_error("credits_max", gettext("The upper end is below the lower end."))
        return data


class NewMicroCredentialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        required=False,
        help_text=_("Part of its web address; made from the title if left empty."),
    )


def version_form_field(field: SpecField) -> forms.Field:
    """Return the design form's field for a declared field of the specification; lists of
    words are written separated by commas."""
    common: dict[str, Any] = {
        "label": field.label,
        "help_text": field.help_text,
        "required": not field.blank,
    }
    if field.choices and field.kind is Kind.INTEGER:
        return forms.TypedChoiceField(
            choices=choices_of(field), coerce=int, empty_value=None, **common
        )
    if field.choices:
        return forms.ChoiceField(choices=choices_of(field), **common)
    match field.kind:
        case Kind.LINE:
            return forms.CharField(max_length=field.max_length, **common)
        case Kind.TEXT:
            return forms.CharField(widget=TEXT_AREA, max_length=field.max_length, **common)
        case Kind.DECIMAL:
            return forms.DecimalField(
                max_digits=field.max_digits, decimal_places=field.decimal_places, **common
            )
        case Kind.INTEGER:
            return forms.IntegerField(**common)
        case Kind.BOOLEAN:
            return forms.BooleanField(**common)
        case Kind.WORDS:
            common["help_text"] = " ".join(
                str(words) for words in (field.help_text, gettext("Separated by commas.")) if words
            )
            return forms.CharField(**common)
        case Kind.DATE:
            return forms.DateField(**common)
        case Kind.IMAGE:
            return forms.FileField(**common)
    raise ValueError(f"No form field for {field.kind}.")


class VersionForm(forms.Form):
    """The version's own fields, as :data:`~microcred.catalogue.fields.SPECIFICATION` declares
    them, and a box to remove the badge image."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in SPECIFICATION:
            self.fields[field.name] = version_form_field(field)
        self.fields["remove_image"] = forms.BooleanField(
            label=_("Remove the badge image"), required=False
        )

    @staticmethod
    def initial_for(version: MicroCredentialVersion) -> dict[str, Any]:
        initial = {}
        for field in SPECIFICATION:
            value = getattr(version, field.name)
            if field.kind is Kind.WORDS:
                initial[field.name] = ", ".join(value)
            elif field.kind is not Kind.IMAGE:
                initial[field.name] = value
        return initial

    def changes(self) -> dict[str, Any]:
        """Return the cleaned data as :func:`update_draft` takes it."""
        data = dict(self.cleaned_data)
        image, remove = data.pop("image"), data.pop("remove_image")
        for field in SPECIFICATION:
            if field.kind is Kind.WORDS:
                data[field.name] = _words(data[field.name])
        if image:
            data["image"] = image
        elif remove:
            data["image"] = None
        return data


class OutcomesForm(forms.Form):
    outcomes = forms.CharField(
        label=_("Learning outcomes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One per line. Align them to skills after saving."),
    )

    @staticmethod
    def initial_for(outcomes: list[Any]) -> dict[str, str]:
        return {"outcomes": "\n".join(outcome.text for outcome in outcomes)}

    def with_skills(self, current: list[Any]) -> list[dict[str, Any]]:
        """Return the outcomes with the skills they had: an unchanged text keeps its skills,
        an edited one those of the outcome it replaces in the same place."""
        texts = [
            line.strip() for line in self.cleaned_data["outcomes"].splitlines() if line.strip()
        ]
        by_text = {outcome.text: outcome for outcome in current}
        outcomes = []
        for index, text in enumerate(texts):
            previous = by_text.get(text)
            if previous is None and index < len(current) and current[index].text not in texts:
                previous = current[index]
            skills = (
                [
                    {"uri": skill.uri, "label": skill.label, "framework": skill.framework}
                    for skill in previous.alignments.all()
                ]
                if previous is not None
                else []
            )
            outcomes.append({"text": text, "skills": skills})
        return outcomes


class CreditsForm(forms.Form):
    """One optional value per credit system."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, system in SYSTEMS.items():
            self.fields[code] = forms.DecimalField(
                label=system.label,
                required=False,
                max_digits=7,
                decimal_places=2,
                help_text=gettext("One credit is %(hours)s.") % {"hours": system.hours_text},
            )

    @staticmethod
    def initial_for(version: MicroCredentialVersion) -> dict[str, Decimal]:
        return {credit.system: credit.value for credit in version.credits.all()}

    def credits(self) -> dict[str, Decimal]:
        return {code: value for code, value in self.cleaned_data.items() if value is not None}


class RubricForm(forms.Form):
    pass_rule = forms.CharField(
        label=_("Pass rule"),
        widget=TEXT_AREA,
        required=False,
        help_text=_("In words, for example: every criterion at Proficient or above."),
    )
    pass_points = forms.IntegerField(
        label=_("Pass points"),
        required=False,
        min_value=0,
        help_text=_("Minimum total points, if the rule is a total."),
    )

    @staticmethod
    def initial_for(rubric: Rubric | None) -> dict[str, Any]:
        if rubric is None:
            return {}
        return {"pass_rule": rubric.pass_rule, "pass_points": rubric.pass_points}


MAX_LEVELS = 6
LEVEL_PARTS = ("name", "points", "description")


class CriterionForm(forms.Form):
    """A rubric criterion with a row of fields per level (lowest first); rows left blank
    are no level."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=TEXT_AREA, required=False)
    outcomes = forms.CharField(
        label=_("Outcomes it assesses"),
        required=False,
        help_text=_("Numbers of the learning outcomes, separated by commas, such as 1, 3."),
    )
    minimum_level = forms.CharField(
        label=_("Minimum level to pass"), max_length=100, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_LEVELS + 1):
            level = {"number": number}
            self.fields[f"level_{number}_name"] = forms.CharField(
                label=gettext("Level %(number)s: name") % level, max_length=100, required=False
            )
            self.fields[f"level_{number}_points"] = forms.IntegerField(
                label=gettext("Level %(number)s: points") % level, min_value=0, required=False
            )
            self.fields[f"level_{number}_description"] = forms.CharField(
                label=gettext("Level %(number)s: descriptor") % level,
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                help_text=gettext("What the evidence shows at this level."),
            )

    @property
    def level_rows(self) -> list[list[forms.BoundField]]:
        """The level fields, a row of name, points and descriptor per level."""
        return [
            [self[f"level_{number}_{part}"] for part in LEVEL_PARTS]
            for number in range(1, MAX_LEVELS + 1)
        ]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "description", "outcomes", "minimum_level")]

    def clean_outcomes(self) -> list[int]:
        numbers = []
        for item in _words(self.cleaned_data["outcomes"]):
            if not item.isdigit():
                raise forms.ValidationError(
                    gettext("%(item)s is not the number of an outcome.") % {"item": repr(item)}
                )
            numbers.append(int(item))
        return numbers

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        levels = []
        for number in range(1, MAX_LEVELS + 1):
            name, points, description = (data.get(f"level_{number}_{part}") for part in LEVEL_PARTS)
            if not (name or points is not None or description):
                continue
            if not name:
                self.add_error(
                    f"level_{number}_name",
                    gettext("Level %(number)s needs a name.") % {"number": number},
                )
            if points is None and f"level_{number}_points" not in self.errors:
                self.add_error(
                    f"level_{number}_points",
                    gettext("Level %(number)s needs its points.") % {"number": number},
                )
            levels.append({"name": name, "points": points, "description": description or ""})
        data["levels"] = levels
        return data

    @staticmethod
    def initial_for(rubric: Rubric | None) -> list[dict[str, Any]]:
        if rubric is None:
            return []
        criteria = []
        for criterion in rubric.criteria.all():
            initial: dict[str, Any] = {
                "name": criterion.name,
                "description": criterion.description,
                "outcomes": ", ".join(str(o.position) for o in criterion.outcomes.all()),
                "minimum_level": criterion.minimum_level.name if criterion.minimum_level else "",
            }
            for number, level in enumerate(criterion.levels.all(), start=1):
                initial.update(
                    {
                        f"level_{number}_name": level.name,
                        f"level_{number}_points": level.points,
                        f"level_{number}_description": level.description,
                    }
                )
            criteria.append(initial)
        return criteria

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("name") or data.get("levels") or data.get("description"))

    def criterion(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "outcomes": data["outcomes"],
            "levels": data["levels"],
            "minimum_level": data["minimum_level"] or None,
        }


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=30)


class SkillForm(forms.Form):
    """Add or remove one skill of a learning outcome."""

    uri = forms.URLField(label=_("Skill's address"), max_length=500, assume_scheme="https")
    action = forms.ChoiceField(
        label=_("Action"), choices=[("add", _("Add")), ("remove", _("Remove"))]
    )


class SuggestForm(forms.Form):
    q = forms.CharField(label=_("Search skills"), required=False, max_length=2000)


class WithdrawForm(forms.Form):
    """Withdrawing cannot be undone, so the form says what it does and asks to be confirmed."""

    reason = forms.CharField(label=_("Reason"), widget=TEXT_AREA, max_length=500, required=False)
    confirm = forms.BooleanField(
        label=_(
            "I understand: the version leaves the catalogue, no more credentials can be "
            "issued for it, and it cannot be published again. Credentials already awarded for "
            "it stay valid."
        ),
        error_messages={"required": _("Tick the box to confirm that the version is withdrawn.")},
    )


class PublishForm(forms.Form):
    """Publishing freezes a version for good, so it is confirmed, not done by one click."""

    confirm = forms.BooleanField(
        label=_(
            "I understand: the version is frozen and can never change; it appears in the "
            "public catalogue and credentials can be issued for it."
        ),
        error_messages={"required": _("Tick the box to confirm that the version is published.")},
    )


class DesignForms:
    """All the forms of the design page, bound together, and where a service error goes."""

    def __init__(
        self,
        data: Any,
        files: Any,
        version: MicroCredentialVersion,
        outcomes: list[Any],
        rubric: Rubric | None,
    ) -> None:
        self.outcomes_current = outcomes
        self.version = VersionForm(
            data, files, initial=VersionForm.initial_for(version), prefix="v"
        )
        self.outcomes = OutcomesForm(data, initial=OutcomesForm.initial_for(outcomes), prefix="o")
        self.credits = CreditsForm(data, initial=CreditsForm.initial_for(version), prefix="c")
        self.rubric = RubricForm(data, initial=RubricForm.initial_for(rubric), prefix="r")
        self.criteria = CriterionFormSet(
            data, initial=CriterionForm.initial_for(rubric), prefix="k"
        )
        self._criteria_forms: list[CriterionForm] = []
        self._notes: dict[str, list[dict[str, Any]]] = {}

    def is_valid(self) -> bool:
        return all(
            [
                self.version.is_valid(),
                self.outcomes.is_valid(),
                self.credits.is_valid(),
                self.rubric.is_valid(),
                self.criteria.is_valid(),
            ]
        )

    def changes(self) -> dict[str, Any]:
        """Return everything the page sends, as :func:`update_draft` takes it."""
        self._criteria_forms = [
            form
            for form in self.criteria.forms
            if not form.cleaned_data.get("DELETE") and not form.is_blank
        ]
        rubric = self.rubric.cleaned_data
        has_rubric = bool(self._criteria_forms or rubric["pass_rule"])
        return {
            **self.version.changes(),
            "outcomes": self.outcomes.with_skills(self.outcomes_current),
            "credits": self.credits.credits(),
            "rubric": {
                "pass_rule": rubric["pass_rule"],
                "pass_points": rubric["pass_points"],
                "criteria": [form.criterion() for form in self._criteria_forms],
            }
            if has_rubric
            else None,
        }

    def show_error(self, error: MicrocredError) -> None:
        """Put a service's error next to the field its path names, in words that name the
        field by its label."""
        place = self._locate(error.field or "")
        place.form.add_error(place.name, _by_label(error, place.label))

    def _locate(self, path: str) -> _Place:
        """Return the form, field and label of a specification path such as ``credits.ECTS``,
        ``outcomes[1].text`` or ``rubric.criteria[0].levels[2].description``; a path no field
        shows belongs to its section as a whole (``name`` None)."""
        head, _, rest = path.partition(".")
        name, _, index = head.partition("[")
        if name == "outcomes":
            number = (
                gettext(", outcome %(number)s") % {"number": int(index.rstrip("]")) + 1}
                if index
                else ""
            )
            return _Place(self.outcomes, "outcomes", "outcomes", number)
        if name == "credits":
            return _Place(self.credits, rest if rest in self.credits.fields else None, "credits")
        if name == "rubric" and rest.startswith("criteria["):
            position = int(rest[len("criteria[") :].split("]", 1)[0])
            field = rest.split("]", 1)[1].lstrip(".").split("[", 1)[0].split(".", 1)[0]
            level = re.match(r".*\.levels\[(\d+)\](?:\.(\w+))?", rest)
            if level and int(level.group(1)) < MAX_LEVELS:
                field = f"level_{int(level.group(1)) + 1}_{level.group(2) or 'name'}"
            elif field == "levels":
                field = "level_1_name"
            forms_ = self._criteria_forms or self.criteria.forms
            if position >= len(forms_):
                return _Place(self.rubric, None, "rubric")
            form = forms_[position]
            return _Place(
                form,
                field if field in form.fields else None,
                "rubric",
                prefix=gettext("Criterion %(number)s: ") % {"number": position + 1},
            )
        if name == "rubric":
            field = rest.split("[", 1)[0].split(".", 1)[0]
            return _Place(self.rubric, field if field in self.rubric.fields else None, "rubric")
        return _Place(self.version, name if name in self.version.fields else None, "version")

    def place_findings(self, findings: list[dict[str, Any]]) -> None:
        """Give each finding the ``anchor`` (the HTML id) and ``label`` of the field it
        concerns, and keep it to be shown beside that field."""
        self._notes.clear()
        for finding in findings:
            place = self._locate(finding.get("field") or "")
            finding["anchor"], finding["label"] = place.anchor, place.label
            self._notes.setdefault(place.anchor, []).append(finding)

    def _rows(
        self, form: forms.Form, fields: list[forms.BoundField] | None = None
    ) -> list[tuple[forms.BoundField, list[dict[str, Any]]]]:
        notes = self._notes
        return [(field, notes.get(field.auto_id, [])) for field in fields or form]

    @property
    def sections(self) -> dict[str, list[dict[str, Any]]]:
        """The findings that concern a section of the form as a whole, by section."""
        notes = self._notes
        return {section: notes.get(f"design-{section}", []) for section in SECTION_LABELS}

    @property
    def version_rows(self) -> list[tuple[forms.BoundField, list[dict[str, Any]]]]:
        return self._rows(self.version)

    @property
    def outcomes_rows(self) -> list[tuple[forms.BoundField, list[dict[str, Any]]]]:
        return self._rows(self.outcomes)

    @property
    def credits_rows(self) -> list[tuple[forms.BoundField, list[dict[str, Any]]]]:
        return self._rows(self.credits)

    @property
    def rubric_rows(self) -> list[tuple[forms.BoundField, list[dict[str, Any]]]]:
        return self._rows(self.rubric)

    @property
    def criteria_rows(self) -> list[dict[str, Any]]:
        """Each criterion's form, its own fields and its level rows, with their findings."""
        return [
            {
                "form": form,
                "rows": self._rows(form, form.other_fields),
                "levels": [self._rows(form, cells) for cells in form.level_rows],
            }
            for form in self.criteria.forms
        ]


# The shared checks of text (microcred.inputs.clean_text) name a field by its JSON path, as an
# API client sends it; the design form names it by its label, in the reader's language.
_PATH_ERRORS = (
    (re.compile(r" must be text\.$"), gettext_noop("%(label)s must be text.")),
    (re.compile(r" must not be empty\.$"), gettext_noop("%(label)s must not be empty.")),
    (
        re.compile(r" has at most (?P<limit>\d+) characters\.$"),
        gettext_noop("%(label)s has at most %(limit)s characters."),
    ),
)


def _by_label(error: MicrocredError, label: str) -> str:
    """Return the error's message; one that names the field by its path names it by
    ``label`` instead."""
    path = error.field or ""
    if path and error.message.startswith(path):
        rest = error.message[len(path) :]
        for pattern, words in _PATH_ERRORS:
            if found := pattern.fullmatch(rest):
                return gettext(words) % {"label": label, **found.groupdict()}
    return error.message


@dataclass(frozen=True)
class _Place:
    """Where a specification path is shown on the design form."""

    form: forms.Form
    name: str | None
    section: str
    suffix: str = ""
    prefix: str = ""

    @property
    def anchor(self) -> str:
        if self.name is None:
            return f"design-{self.section}"
        return str(self.form[self.name].auto_id)

    @property
    def label(self) -> str:
        if self.name is None:
            return str(SECTION_LABELS[self.section])
        return f"{self.prefix}{self.form[self.name].label}{self.suffix}"


# The sections of the design form, each a fieldset with the id ``design-<section>``.
SECTION_LABELS = {
    "version": _("The micro-credential"),
    "outcomes": _("Learning outcomes"),
    "credits": _("Credits"),
    "rubric": _("Rubric"),
}
