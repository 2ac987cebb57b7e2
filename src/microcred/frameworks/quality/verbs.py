"""Bloom's taxonomy verbs: is a learning outcome observable, and at what level.

Levels follow the revised taxonomy of Anderson and Krathwohl (2001): 1 remember,
2 understand, 3 apply, 4 analyse, 5 evaluate, 6 create. Many verbs are used at
more than one level in practice; each is listed once, at the level where
outcome-writing guides most often place it (for example Kennedy, Hyland and
Ryan, "Writing and using learning outcomes", 2006), so the level is a hint for
the plausibility rule, not a verdict. British and American spellings are both
listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from microcred.text import sentence

LEVEL_NAMES = {
    1: sentence("remember"),
    2: sentence("understand"),
    3: sentence("apply"),
    4: sentence("analyse"),
    5: sentence("evaluate"),
    6: sentence("create"),
}

BLOOM_VERBS: dict[int, tuple[str, ...]] = {
    1: (
        "identify",
        "list",
        "define",
        "name",
        "recall",
        "recognise",
        "recognize",
        "state",
        "label",
        "locate",
        "match",
        "memorise",
        "memorize",
        "quote",
        "record",
        "reproduce",
        "retrieve",
        "select",
        "tabulate",
    ),
    2: (
        "explain",
        "describe",
        "summarise",
        "summarize",
        "classify",
        "compare",
        "discuss",
        "exemplify",
        "illustrate",
        "infer",
        "interpret",
        "outline",
        "paraphrase",
        "report",
        "restate",
        "translate",
    ),
    3: (
        "apply",
        "use",
        "demonstrate",
        "calculate",
        "carry out",
        "compute",
        "conduct",
        "configure",
        "employ",
        "execute",
        "implement",
        "install",
        "measure",
        "operate",
        "perform",
        "practise",
        "practice",
        "prepare",
        "present",
        "solve",
        "administer",
        "handle",
        "maintain",
        "complete",
    ),
    4: (
        "analyse",
        "analyze",
        "examine",
        "differentiate",
        "distinguish",
        "break down",
        "categorise",
        "categorize",
        "contrast",
        "debug",
        "deconstruct",
        "diagnose",
        "investigate",
        "organise",
        "organize",
        "attribute",
        "troubleshoot",
        "test",
    ),
    5: (
        "evaluate",
        "justify",
        "assess",
        "appraise",
        "argue",
        "critique",
        "defend",
        "judge",
        "monitor",
        "prioritise",
        "prioritize",
        "recommend",
        "review",
        "validate",
        "verify",
        "decide",
    ),
    6: (
        "design",
        "create",
        "develop",
        "construct",
        "formulate",
        "build",
        "compose",
        "devise",
        "generate",
        "invent",
        "plan",
        "produce",
        "propose",
        "synthesise",
        "synthesize",
        "write",
        "author",
    ),
}

# Each vague verb with the Bloom level it usually stands for, used for a suggestion
# when the intended level cannot be read from the EQF level.
VAGUE_VERBS: dict[str, int] = {
    "understand": 2,
    "know": 1,
    "appreciate": 2,
    "learn": 3,
    "be aware of": 1,
    "be familiar with": 1,
    "become familiar with": 1,
    "become aware of": 1,
    "have knowledge of": 1,
    "gain": 2,
    "comprehend": 2,
    "grasp": 2,
    "realise": 2,
    "realize": 2,
    "be exposed to": 1,
    "be introduced to": 1,
    "master": 3,
}

# The Bloom level an outcome at each EQF level typically reaches (EQF 1-2 knowledge and
# recall, 3-4 application, 5-6 analysis, 7 evaluation, 8 creation of new knowledge).
EQF_BLOOM = {1: 1, 2: 2, 3: 3, 4: 3, 5: 4, 6: 4, 7: 5, 8: 6}

VERB_LEVELS: dict[str, int] = {
    verb: level for level, verbs in BLOOM_VERBS.items() for verb in verbs
}

# Outcomes often open with the learner and a modal; the verb comes after it.
_PREAMBLE = re.compile(
    r"^(?:(?:on\s+completion|upon\s+completion|by\s+the\s+end)[^,]*,\s*)?"
    r"(?:(?:the\s+)?(?:learners?|students?|participants?|holders?|you)\s+)?"
    r"(?:(?:will|can|should|shall|must|are|is)\s+)?(?:be\s+able\s+to\s+|able\s+to\s+)?",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class OutcomeVerb:
    """The verb an outcome starts with: its Bloom level, or that it is vague or unknown."""

    verb: str
    level: int | None
    vague: bool


def read_verb(text: str) -> OutcomeVerb:
    """Return the verb ``text`` starts with, after a preamble such as "Learners will be able to"."""
    rest = _PREAMBLE.sub("", text.strip(), count=1)
    words = _WORDS.findall(rest.lower())
    if not words:
        return OutcomeVerb(verb="", level=None, vague=False)
    for size in (3, 2, 1):
        phrase = " ".join(words[:size])
        if phrase in VAGUE_VERBS:
            return OutcomeVerb(verb=phrase, level=VAGUE_VERBS[phrase], vague=True)
        for form in _base_forms(phrase):
            if form in VERB_LEVELS:
                return OutcomeVerb(verb=form, level=VERB_LEVELS[form], vague=False)
    return OutcomeVerb(verb=words[0], level=None, vague=False)


def _base_forms(phrase: str) -> tuple[str, ...]:
    """Return ``phrase`` and the base forms its first word may be inflected from ("analyses")."""
    first, _, rest = phrase.partition(" ")
    tail = f" {rest}" if rest else ""
    forms = [first]
    if first.endswith("ies"):
        forms.append(first[:-3] + "y")
    if first.endswith("es"):
        forms.append(first[:-2])
    if first.endswith("s"):
        forms.append(first[:-1])
    return tuple(form + tail for form in forms)


def suggest_verbs(level: int, count: int = 3) -> tuple[str, ...]:
    """Return the first ``count`` verbs of Bloom ``level``, the most common ones first, each
    once (the American spelling of a verb already suggested is left out)."""
    chosen: dict[str, str] = {}
    for verb in BLOOM_VERBS[level]:
        chosen.setdefault(_british(verb), verb)
    return tuple(chosen.values())[:count]


def _british(verb: str) -> str:
    return re.sub(r"(?<=[a-z])(y|i)ze\b", r"\1se", verb)
