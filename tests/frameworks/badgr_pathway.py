"""A Badgr pathway export, written for these tests.

The shape is Badgr's own: ``PathwaySerializer`` with ``include_structure`` (``@context``
``https://badgr.io/public/contexts/pathways``, ``rootElement``, ``elements``), each element
as ``PathwayElementSerializer`` writes it (``@id``, ``slug``, ``name``, ``description``,
``alignmentUrl``, ``ordering``, ``completionBadge``, ``children``, ``requirements``), and
requirements as ``CompletionRequirementSpecFactory`` reads them (``BadgeJunction`` /
``ElementJunction`` with ``junctionConfig`` ``Conjunction`` / ``Disjunction`` and
``requiredNumber``), in badgr-server's ``apps/pathway`` (concentricsky/badgr-server, also
in the edubadges-server fork). The content (a data analyst pathway) is invented.
"""

from __future__ import annotations

from typing import Any

ORIGIN = "https://badgr.example.org"
PATHWAY = f"{ORIGIN}/v1/issuer/issuers/uni-data/pathways/data-analyst"


def element(slug: str) -> str:
    return f"{PATHWAY}/elements/{slug}"


def badge(slug: str) -> str:
    return f"{ORIGIN}/public/badges/{slug}"


EXPORT: dict[str, Any] = {
    "@context": "https://badgr.io/public/contexts/pathways",
    "@type": "Pathway",
    "@id": PATHWAY,
    "slug": "data-analyst",
    "name": "Data Analyst",
    "description": "Three parts: foundations, two of three methods, and a capstone.",
    "issuer": f"{ORIGIN}/v1/issuer/issuers/uni-data",
    "groups": [],
    "completionBadge": badge("data-analyst-certificate"),
    "rootChildCount": 3,
    "elementCount": 5,
    "rootElement": element("data-analyst"),
    "elements": [
        {
            "@id": element("data-analyst"),
            "slug": "data-analyst",
            "name": "Data Analyst",
            "description": "Three parts: foundations, two of three methods, and a capstone.",
            "alignmentUrl": None,
            "ordering": 99,
            "completionBadge": badge("data-analyst-certificate"),
            "children": [element("foundations"), element("methods"), element("capstone")],
            "requirements": {
                "@type": "ElementJunction",
                "junctionConfig": {"@type": "Conjunction", "requiredNumber": 3},
                "elements": [element("foundations"), element("methods"), element("capstone")],
            },
        },
        {
            "@id": element("foundations"),
            "slug": "foundations",
            "name": "Foundations",
            "description": "Statistics and spreadsheets.",
            "parent": element("data-analyst"),
            "alignmentUrl": None,
            "ordering": 1,
            # The shortcut: a placement test that stands for both foundation badges.
            "completionBadge": badge("foundations-placement"),
            "children": [],
            "requirements": {
                "@type": "BadgeJunction",
                "junctionConfig": {"@type": "Conjunction", "requiredNumber": 2},
                "badges": [badge("intro-statistics"), badge("spreadsheets")],
            },
        },
        {
            "@id": element("methods"),
            "slug": "methods",
            "name": "Methods",
            "description": "Any two of three methods.",
            "parent": element("data-analyst"),
            "alignmentUrl": "https://uni-data.example.org/methods",
            "ordering": 2,
            "completionBadge": None,
            "children": [],
            "requirements": {
                "@type": "BadgeJunction",
                "junctionConfig": {"@type": "Disjunction", "requiredNumber": 2},
                "badges": [badge("data-visualisation"), badge("sql"), badge("python-for-data")],
            },
        },
        {
            "@id": element("capstone"),
            "slug": "capstone",
            "name": "Capstone",
            "description": "A project with real data.",
            "parent": element("data-analyst"),
            "alignmentUrl": None,
            "ordering": 3,
            "completionBadge": badge("capstone-project"),
            "children": [],
            "requirements": None,
        },
        {
            # An optional element: not listed in the root's requirements, so it never counts.
            "@id": element("further-reading"),
            "slug": "further-reading",
            "name": "Further reading",
            "description": "Optional.",
            "parent": element("data-analyst"),
            "alignmentUrl": None,
            "ordering": 4,
            "completionBadge": None,
            "children": [],
            "requirements": None,
        },
    ],
}
