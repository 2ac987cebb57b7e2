"""India (NCVET): statement of purpose, learning outcomes, evidence of need by industry.

The table of failing cases; `test_profiles` runs the checks shared by every profile."""

from __future__ import annotations

PROFILE = "in-ncvet"

CASES = [
    ({"statement_of_purpose": ""}, "in-ncvet.purpose", "error", "statement_of_purpose"),
    ({"outcomes": []}, "in-ncvet.outcomes", "error", "outcomes"),
    ({"evidence_of_need": None}, "in-ncvet.evidence-of-need", "error", "evidence_of_need"),
]
