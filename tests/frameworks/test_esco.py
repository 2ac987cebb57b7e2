"""The vendored ESCO skills, the search that suggests them, and the official CSV loader."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from microcred.errors import InvalidInput
from microcred.frameworks import esco
from microcred.frameworks.esco.search import stem

PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
CSV_HEADER = (
    "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,"
    "modifiedDate,scopeNote,definition,inScheme,description\n"
)


@pytest.fixture(scope="module")
def index() -> esco.SkillIndex:
    return esco.load_index()


def labels(suggestions: list[esco.Suggestion]) -> list[str]:
    return [suggestion.label for suggestion in suggestions]


def test_every_esco_skill_is_vendored_once_with_a_label(index: esco.SkillIndex) -> None:
    assert len(index) == 13939
    assert len({skill.uri for skill in index.skills}) == 13939
    assert all(skill.uri.startswith(esco.ESCO_URI_PREFIX) for skill in index.skills)
    assert all(skill.label for skill in index.skills)


def test_the_vendored_file_is_the_one_sources_md_records() -> None:
    sources = (esco.VENDORED.parent / "SOURCES.md").read_text("utf-8")
    recorded = re.search(r"`skills\.jsonl\.gz`: \d+ skills, SHA-256 `([0-9a-f]{64})`", sources)
    assert recorded is not None
    assert hashlib.sha256(esco.VENDORED.read_bytes()).hexdigest() == recorded.group(1)


def test_get_skill(index: esco.SkillIndex) -> None:
    skill = esco.get_skill(PYTHON)
    assert skill is not None and skill.label == "Python (computer programming)"
    assert esco.get_skill("http://data.europa.eu/esco/skill/unknown") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("design classroom assessments", r"\bassess"),
        ("Learners will be able to assess students' progress", r"\bassess students"),
        ("write Python programs to automate tasks", r"^Python"),
        ("apply first aid in emergencies", r"first aid"),
        ("prepare financial statements", r"^prepare financial statements$"),
        ("analyse data with spreadsheets", r"spreadsheet"),
        ("collaborate with colleagues using digital tools", r"collaborate"),
    ],
)
def test_suggestions_for_real_outcomes_are_on_topic(
    index: esco.SkillIndex, text: str, expected: str
) -> None:
    found = labels(esco.suggest_skills(text, index=index))
    assert len(found) == 10
    assert any(re.search(expected, label, re.IGNORECASE) for label in found), found


def test_the_best_match_comes_first_with_scores_falling(index: esco.SkillIndex) -> None:
    suggestions = index.suggest("write Python programs", 5)
    assert suggestions[0].uri == PYTHON
    scores = [suggestion.score for suggestion in suggestions]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1


@pytest.mark.parametrize("text", ["", "   ", "the and of", "zzzxqj"])
def test_text_without_known_words_suggests_nothing(index: esco.SkillIndex, text: str) -> None:
    assert index.suggest(text) == []


def test_limit(index: esco.SkillIndex) -> None:
    assert len(index.suggest("manage staff", 3)) == 3
    assert index.suggest("manage staff", 0) == []


def test_inflections_meet() -> None:
    for group in (
        ["assess", "assessing", "assessed", "assessment", "assessments"],
        ["design", "designing", "designs", "designed"],
        ["manage", "managing", "management", "manages"],
        ["evaluate", "evaluating", "evaluation", "evaluations"],
        ["analyse", "analysing", "analyses", "analyze"],
        ["plan", "planning", "planned", "plans"],
        ["process", "processes"],
        ["strategy", "strategies"],
    ):
        assert len({stem(word) for word in group}) == 1, group


def test_the_outcome_lead_is_left_out() -> None:
    small = esco.SkillIndex(
        [
            esco.Skill("https://example.org/1", "support learners", "", ""),
            esco.Skill("https://example.org/2", "bake bread", "", ""),
        ]
    )
    text = "On successful completion of this module, learners will be able to bake bread"
    assert labels(small.suggest(text)) == ["bake bread"]


def test_the_label_counts_more_than_the_description() -> None:
    small = esco.SkillIndex(
        [
            esco.Skill("https://example.org/1", "use tools", "", "Work with a kiln and clay."),
            esco.Skill("https://example.org/2", "operate a kiln", "fire kilns", "Use tools."),
        ]
    )
    assert labels(small.suggest("kiln")) == ["operate a kiln", "use tools"]


def write_csv(path: Path, rows: str, header: str = CSV_HEADER, encoding: str = "utf-8") -> Path:
    path.write_bytes((header + rows).encode(encoding))
    return path


def test_the_official_csv_loads_with_its_labels(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "skills_en.csv",
        "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/1,skill/competence,,"
        'bake bread,"make bread\nproduce loaves",,released,,,,,"Bake bread in an oven."\n'
        "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/2,knowledge,,pastry,,,"
        "released,,,,,\n",
        header="\ufeff" + CSV_HEADER,
    )
    first, second = esco.load_esco_csv(path)
    assert first == esco.Skill(
        "http://data.europa.eu/esco/skill/1",
        "bake bread",
        "make bread\nproduce loaves",
        "Bake bread in an oven.",
    )
    assert (second.label, second.alt_labels, second.description) == ("pastry", "", "")
    written = tmp_path / "out" / "skills.jsonl.gz"
    esco.write_skills([first, second], written)
    assert esco.read_skills(written) == [first, second]
    assert labels(esco.load_index(written).suggest("loaves")) == ["bake bread"]


@pytest.mark.parametrize(
    ("header", "rows", "field", "says"),
    [
        ("conceptUri,label\n", "http://x/1,a\n", "preferredLabel", "no column preferredLabel"),
        (CSV_HEADER, "", "file", "has no skills"),
        (CSV_HEADER, "K,not-a-uri,,,a,,,,,,,,\n", "conceptUri", "row 2"),
        (CSV_HEADER, "K,http://x/1,,,a,,,,,,,,\nK,http://x/1,,,b,,,,,,,,\n", "conceptUri", "twice"),
        (CSV_HEADER, "K,http://x/1,,,  ,,,,,,,,\n", "preferredLabel", "empty"),
    ],
)
def test_a_bad_csv_is_refused_naming_the_column(
    tmp_path: Path, header: str, rows: str, field: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        esco.load_esco_csv(write_csv(tmp_path / "skills.csv", rows, header))
    assert raised.value.field == field
    assert says in raised.value.message


def test_a_csv_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "skills.csv", "K,http://x/1,,,pâte,,,,,,,,\n", encoding="latin-1")
    with pytest.raises(InvalidInput) as raised:
        esco.load_esco_csv(path)
    assert raised.value.field == "file"


def test_a_corrupt_skills_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills.jsonl.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(InvalidInput) as raised:
        esco.read_skills(path)
    assert raised.value.code == "esco.unreadable"


def test_the_index_is_kept_until_its_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "skills.jsonl.gz"
    esco.write_skills([esco.Skill("https://example.org/1", "bake bread")], path)
    first = esco.load_index(path)
    assert esco.load_index(path) is first
    esco.write_skills([esco.Skill("https://example.org/2", "brew beer")], path)
    os.utime(path, ns=(1, 1))
    assert labels(esco.load_index(path).suggest("beer")) == ["brew beer"]
