"""``microcred manage import_esco FILE`` replaces the vendored skills for the installation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from microcred.audit.models import AuditEvent
from microcred.catalogue import services

HEADER = "conceptType,conceptUri,preferredLabel,altLabels,description\n"
ROWS = (
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/b1,bake sourdough bread,"
    '"make sourdough\nbake bread",Bake bread with a sourdough starter.\n'
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/b2,decorate cakes,,\n"
)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


def test_importing_the_official_csv_replaces_the_vendored_skills(tmp_path: Path, capsys) -> None:
    assert services.get_skill("http://data.europa.eu/esco/skill/b1") is None
    path = tmp_path / "skills_en.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    call_command("import_esco", str(path))
    assert "Imported 2 ESCO skills" in capsys.readouterr().out
    assert services.get_skill("http://data.europa.eu/esco/skill/b1").label == "bake sourdough bread"
    [best, *_] = services.suggest_skills(text="bake sourdough loaves")
    assert best.label == "bake sourdough bread"
    assert (
        services.get_skill_index().get(
            "http://data.europa.eu/esco/skill/6fe019dd-027f-45f3-b19c-d27f7ae00980"
        )
        is None
    )
    assert AuditEvent.objects.get(action="esco.import").data == {
        "file": "skills_en.csv",
        "skills": 2,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("uri,label\nhttp://x/1,a\n", "no column conceptUri"),
        (HEADER + "K,nope,a,,\n", "conceptUri must be the skill's URI"),
        (HEADER, "has no skills"),
    ],
)
def test_a_bad_file_changes_nothing(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "skills_en.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_esco", str(path))
    assert len(services.get_skill_index()) == 13939
    assert not AuditEvent.objects.filter(action="esco.import").exists()


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_esco", str(tmp_path / "absent.csv"))
