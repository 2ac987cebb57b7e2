"""A ranked keyword search over ESCO skills, to suggest skills for a learning outcome.

TF-IDF with cosine ranking (Salton and Buckley, "Term-weighting approaches in
automatic text retrieval", 1988): words are lower-cased and reduced to a
crude stem, so "assessments", "assessing" and "assess" meet; the preferred
label weighs three times the alternative labels and the description; pairs of
neighbouring stems in the labels count as terms too, so "classroom
assessment" ranks a skill that says exactly that above one that has both
words apart. The index is built once per file and kept.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from microcred.frameworks.esco.skills import VENDORED, Skill, read_skills

LABEL_WEIGHT = 3.0
ALT_LABEL_WEIGHT = 1.0
DESCRIPTION_WEIGHT = 1.0
PAIR_WEIGHT = 1.5

_WORD = re.compile(r"[a-z0-9]+")
# Function words: they say nothing about a skill.
_STOPWORDS_TEXT = """
    a about above after all also an and any are as at be been being between both but by can could
    do does each for from has have how i if in into is it its may more most must no not of on or
    other our shall should so some such than that the their them then there these they this those
    through to under up upon using was we were what when where which while who will with within
    would you your
"""
# How learning outcomes often begin: "On completion of the module, learners will be able to".
_OUTCOME_LEAD = re.compile(
    r"^\W*(?:(?:on|upon|after)\s+(?:the\s+)?(?:successful\s+)?completion\s+of\s+[\w\s-]*?,\s*)?"
    r"(?:(?:the\s+)?(?:learners?|students?|participants?|graduates?)\s+"
    r"(?:will|should|can|must|are|is)\s+(?:be\s+)?(?:able\s+to\s+)?)?",
    re.IGNORECASE,
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""))
_DERIVATIONS = (("ational", "ate"), ("ation", "ate"), ("ment", ""), ("ness", ""), ("ity", ""))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return a crude stem of a lower-case word: enough to make inflections meet."""
    for suffix, replacement in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    else:
        if word.endswith(("sses", "xes", "zes", "ches", "shes")):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
    for suffix, replacement in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("er") and len(word) > 5:
        word = word[:-2]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word.replace("iz", "is").replace("yz", "ys")


def terms(text: str) -> list[str]:
    """Return the stems of the words of ``text`` that carry meaning, in order."""
    return [stem(word) for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def _pairs(stems: list[str]) -> list[str]:
    return [f"{first} {second}" for first, second in itertools.pairwise(stems)]


@dataclass(frozen=True)
class Suggestion:
    """A skill suggested for a text, with its score (cosine similarity, 0 to 1)."""

    skill: Skill
    score: float

    @property
    def uri(self) -> str:
        return self.skill.uri

    @property
    def label(self) -> str:
        return self.skill.label


class SkillIndex:
    """The skills of one source, searchable by text and by URI."""

    def __init__(self, skills: Sequence[Skill]) -> None:
        self.skills = list(skills)
        self._by_uri = {skill.uri: index for index, skill in enumerate(self.skills)}
        vectors = [self._terms_of(skill) for skill in self.skills]
        frequency = Counter(term for vector in vectors for term in vector)
        count = len(self.skills)
        self._idf = {term: math.log((count + 1) / (df + 0.5)) for term, df in frequency.items()}
        self._postings: dict[str, tuple[array[int], array[float]]] = {}
        for position, vector in enumerate(vectors):
            weights = {term: weight * self._idf[term] for term, weight in vector.items()}
            norm = math.sqrt(sum(weight * weight for weight in weights.values())) or 1.0
            for term, weight in weights.items():
                documents, values = self._postings.setdefault(term, (array("i"), array("f")))
                documents.append(position)
                values.append(weight / norm)

    @staticmethod
    def _terms_of(skill: Skill) -> dict[str, float]:
        """Return a skill's terms with their weight: log-scaled counts, per field."""
        weights: defaultdict[str, float] = defaultdict(float)
        label, alt = terms(skill.label), terms(skill.alt_labels)
        for field, weight in (
            (label, LABEL_WEIGHT),
            (alt, ALT_LABEL_WEIGHT),
            (terms(skill.description), DESCRIPTION_WEIGHT),
            (_pairs(label), LABEL_WEIGHT * PAIR_WEIGHT),
            (_pairs(alt), ALT_LABEL_WEIGHT * PAIR_WEIGHT),
        ):
            for term, count in Counter(field).items():
                weights[term] += weight * (1 + math.log(count))
        return weights

    def __len__(self) -> int:
        return len(self.skills)

    def get(self, uri: str) -> Skill | None:
        position = self._by_uri.get(uri)
        return None if position is None else self.skills[position]

    def suggest(self, text: str, limit: int = 10) -> list[Suggestion]:
        """Return up to ``limit`` skills for ``text``, best first.

        A learning outcome's usual opening ("Learners will be able to") is
        left out: it names who learns, not what.
        """
        stems = terms(_OUTCOME_LEAD.sub("", text, count=1))
        query = Counter(stems) + Counter(_pairs(stems))
        weights = {
            term: (1 + math.log(count)) * self._idf[term]
            for term, count in query.items()
            if term in self._idf
        }
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        if not weights or limit < 1:
            return []
        scores: dict[int, float] = {}
        for term, weight in weights.items():
            documents, values = self._postings[term]
            for position, value in zip(documents, values, strict=True):
                scores[position] = scores.get(position, 0.0) + weight * value
        best = heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))
        return [Suggestion(self.skills[position], score / norm) for position, score in best]


@functools.lru_cache(maxsize=4)
def _index_of(path: str, modified: int, size: int) -> SkillIndex:
    return SkillIndex(read_skills(Path(path)))


def load_index(path: Path | None = None) -> SkillIndex:
    """Return the index of the skills in ``path`` (default: the vendored skills).

    The index is built at first use and kept until the file changes.
    """
    path = Path(path or VENDORED)
    status = path.stat()
    return _index_of(str(path.resolve()), status.st_mtime_ns, status.st_size)


def suggest_skills(
    text: str, limit: int = 10, *, index: SkillIndex | None = None
) -> list[Suggestion]:
    """Return up to ``limit`` ESCO skills for a learning outcome's text, best first."""
    return (index or load_index()).suggest(text, limit)


def get_skill(uri: str, *, index: SkillIndex | None = None) -> Skill | None:
    """Return the skill with this URI, or None if the index has no such skill."""
    return (index or load_index()).get(uri)
