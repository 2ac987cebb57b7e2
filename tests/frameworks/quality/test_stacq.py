"""STACQ: the seven criteria, each shown by specification fields.

The table of failing cases; `test_profiles` runs the checks shared by every profile."""

from __future__ import annotations

PROFILE = "stacq"

CASES = [
    ({"quality_assurance": ""}, "stacq.quality-assurance", "error", "quality_assurance"),
    ({"identity_verification": ""}, "stacq.verification", "error", "identity_verification"),
    ({"eqf_level": None}, "stacq.level", "error", "eqf_level"),
    ({"outcomes": []}, "stacq.learning-outcomes", "error", "outcomes"),
    ({"workload_hours": None}, "stacq.workload", "error", "workload_hours"),
    ({"assessment_type": ""}, "stacq.testing", "error", "assessment_type"),
    ({"rubric": None}, "stacq.testing", "error", "rubric"),
    ({"rubric.pass_rule": ""}, "stacq.testing", "error", "rubric"),
    ({"title": ""}, "stacq.identification", "error", "title"),
    ({"awarding_body": "", "organisation": None}, "stacq.identification", "error", "awarding_body"),
    ({"country": ""}, "stacq.identification", "error", "country"),
]
