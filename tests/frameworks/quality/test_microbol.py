"""MICROBOL: each of the seven metadata groups is shown by specification fields.

The table of failing cases; `test_profiles` runs the checks shared by every profile."""

from __future__ import annotations

PROFILE = "microbol"

CASES = [
    ({"identity_verification": ""}, "microbol.learner", "warning", "identity_verification"),
    ({"awarding_body": "", "organisation": None}, "microbol.issuer", "error", "awarding_body"),
    ({"country": ""}, "microbol.issuer", "error", "country"),
    ({"title": ""}, "microbol.micro-credential", "error", "title"),
    ({"outcomes": []}, "microbol.micro-credential", "error", "outcomes"),
    ({"workload_hours": None}, "microbol.learning-experience", "error", "workload_hours"),
    ({"assessment_type": ""}, "microbol.learning-experience", "error", "assessment_type"),
    ({"quality_assurance": ""}, "microbol.learning-experience", "error", "quality_assurance"),
    ({"eqf_level": None}, "microbol.level", "error", "eqf_level"),
    ({"participation_form": None}, "microbol.participation", "error", "participation_form"),
    ({"prerequisites": ""}, "microbol.entry-requirements", "warning", "prerequisites"),
]
