"""ESCO skills: the vendored index, a search that suggests skills for a text, the official CSV.

microcred ships every ESCO v1 skill (``skills.jsonl.gz``; where it comes from
and how its labels were cut from the source text is in ``SOURCES.md``). An
installation may load the official ESCO CSV download instead
(:func:`load_esco_csv`, written with :func:`write_skills`); callers pass the
index to use, so nothing here knows where an installation keeps its files::

    from microcred.frameworks import esco
    [best, *_] = esco.suggest_skills("design classroom assessments")
    best.uri, best.label, best.score
"""

from microcred.frameworks.esco.search import (
    SkillIndex,
    Suggestion,
    get_skill,
    load_index,
    suggest_skills,
    terms,
)
from microcred.frameworks.esco.skills import (
    ESCO_URI_PREFIX,
    VENDORED,
    Skill,
    load_esco_csv,
    read_skills,
    write_skills,
)

__all__ = [
    "ESCO_URI_PREFIX",
    "VENDORED",
    "Skill",
    "SkillIndex",
    "Suggestion",
    "get_skill",
    "load_esco_csv",
    "load_index",
    "read_skills",
    "suggest_skills",
    "terms",
    "write_skills",
]
