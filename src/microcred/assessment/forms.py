"""The assessment plan's form: the plan's settings and one small form per component.

The forms turn what a browser sends into the values :func:`save_plan` takes; the service
checks the rules, and :meth:`PlanForms.show_error` puts its error next to the field its
path names (``components[1].label`` is the label of the second component written).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from microcred.assessment.models import AssessmentPlan, ComponentKind
from microcred.assessment.services.learning import (
    MAX_ATTEMPTS,
    MAX_DECISION_DAYS,
    MAX_FILE_MB,
    MAX_PEER_REVIEWS,
    PLAN_LABELS,
)
from microcred.assessment.uploads import FILE_TYPES
from microcred.errors import MicrocredError
from microcred.text import translated

TEXT_AREA = forms.Textarea(attrs={"rows": 3})
RESULT_ONLY = _("For a result only.")


class PlanForm(forms.Form):
    """The plan's settings, with the platform's defaults for a new plan."""

    peer_reviews = forms.IntegerField(
        label=PLAN_LABELS["peer_reviews"],
        min_value=0,
        max_value=MAX_PEER_REVIEWS,
        initial=0,
        help_text=_("How many peers give feedback before the assessor decides."),
    )
    max_attempts = forms.IntegerField(
        label=PLAN_LABELS["max_attempts"], min_value=1, max_value=MAX_ATTEMPTS, initial=3
    )
    decision_days = forms.IntegerField(
        label=PLAN_LABELS["decision_days"], min_value=1, max_value=MAX_DECISION_DAYS, initial=14
    )
    max_file_mb = forms.IntegerField(
        label=PLAN_LABELS["max_file_mb"], min_value=1, max_value=MAX_FILE_MB, initial=10
    )
    file_types = forms.MultipleChoiceField(
        label=PLAN_LABELS["file_types"],
        choices=[(media_type, media_type) for media_type in FILE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked accepts them all."),
    )
    prerequisite_achievements = forms.CharField(
        label=PLAN_LABELS["prerequisite_achievements"],
        required=False,
        help_text=_(
            "Achievement ids of published micro-credentials a learner must hold (active) "
            "before enrolling, separated by spaces."
        ),
    )

    @staticmethod
    def initial_for(plan: AssessmentPlan | None) -> dict[str, Any]:
        if plan is None:
            return {}
        return {
            "peer_reviews": plan.peer_reviews,
            "max_attempts": plan.max_attempts,
            "decision_days": plan.decision_days,
            "max_file_mb": plan.max_file_mb,
            "file_types": plan.file_types,
            "prerequisite_achievements": " ".join(plan.prerequisite_achievements),
        }


class ComponentForm(forms.Form):
    """One part of what learners hand in; a form left blank is no component."""

    key = forms.CharField(
        label=_("Key"),
        max_length=50,
        required=False,
        help_text=_("Names the part in submissions and exports: a-z, 0-9, - and _."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ComponentKind.choices)
    label = forms.CharField(label=_("Label"), max_length=200, required=False)
    instructions = forms.CharField(label=_("Instructions"), widget=TEXT_AREA, required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    prompts = forms.CharField(
        label=_("Prompts"),
        widget=TEXT_AREA,
        required=False,
        help_text=_("For a reflection: one question per line."),
    )
    minimum = forms.FloatField(label=_("Lowest result"), required=False, help_text=RESULT_ONLY)
    maximum = forms.FloatField(label=_("Highest result"), required=False, help_text=RESULT_ONLY)
    pass_mark = forms.FloatField(label=_("Pass mark"), required=False, help_text=RESULT_ONLY)

    @staticmethod
    def initial_for(plan: AssessmentPlan | None) -> list[dict[str, Any]]:
        if plan is None:
            return []
        return [
            {**component, "prompts": "\n".join(component.get("prompts", []))}
            for component in plan.components
        ]

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("key") or data.get("label") or data.get("instructions"))

    def component(self) -> dict[str, Any]:
        """Return the component as :func:`save_plan` takes it."""
        data = self.cleaned_data
        component: dict[str, Any] = {
            "key": data["key"],
            "kind": data["kind"],
            "label": data["label"],
            "instructions": data["instructions"],
            "required": data["required"],
        }
        if data["kind"] == ComponentKind.REFLECTION:
            component["prompts"] = data["prompts"].splitlines()
        if data["kind"] == ComponentKind.RESULT:
            for bound in ("minimum", "maximum", "pass_mark"):
                if data[bound] is not None:
                    component[bound] = data[bound]
        return component


ComponentFormSet = forms.formset_factory(ComponentForm, extra=1, can_delete=True, max_num=30)


class PlanForms:
    """The plan page's forms, bound together, and where a service error goes."""

    def __init__(self, data: Any, plan: AssessmentPlan | None) -> None:
        self.plan = PlanForm(data, initial=PlanForm.initial_for(plan), prefix="p")
        self.components = ComponentFormSet(
            data, initial=ComponentForm.initial_for(plan), prefix="component"
        )
        self._written: list[ComponentForm] = []

    def is_valid(self) -> bool:
        return all([self.plan.is_valid(), self.components.is_valid()])

    def changes(self) -> dict[str, Any]:
        """Return everything the page sends, as :func:`save_plan` takes it."""
        self._written = [
            form
            for form in self.components.forms
            if not form.cleaned_data.get("DELETE") and not form.is_blank
        ]
        return {
            **self.plan.cleaned_data,
            "components": [form.component() for form in self._written],
        }

    def show_error(self, error: MicrocredError) -> None:
        """Put a service's error next to the field its path names."""
        head, _dot, rest = (error.field or "").partition(".")
        name, _bracket, index = head.partition("[")
        if name == "components" and index:
            position = int(index.rstrip("]"))
            if position < len(self._written):
                form = self._written[position]
                form.add_error(rest if rest in form.fields else None, translated(error.message))
                return
        if name in self.plan.fields:
            self.plan.add_error(name, translated(error.message))
        else:
            self.plan.add_error(None, translated(error.message))
