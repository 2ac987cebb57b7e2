"""The ESCO skills this installation uses: the vendored ones, or an imported official CSV.

An import is stored under ``DATA_DIR/esco/`` and from then on replaces the
vendored skills for every process of the installation (each notices the new
file at its next search).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from microcred.accounts.services import User
from microcred.audit.services import record_event
from microcred.frameworks import esco


def installation_skills_path() -> Path:
    return Path(settings.DATA_DIR) / "esco" / "skills.jsonl.gz"


def get_skill_index() -> esco.SkillIndex:
    """Return the index of the installation's skills (built at first use, then kept)."""
    path = installation_skills_path()
    return esco.load_index(path if path.is_file() else None)


def suggest_skills(*, text: str, limit: int = 10) -> list[esco.Suggestion]:
    """Return up to ``limit`` skills for a learning outcome's text, best first."""
    return get_skill_index().suggest(text, limit)


def get_skill(uri: str) -> esco.Skill | None:
    return get_skill_index().get(uri)


def import_esco(*, actor: User | None, path: Path) -> int:
    """Replace the installation's skills with those of an official ESCO CSV; return how many.

    The file is read and checked first, so a bad file changes nothing. ``actor`` is None
    when an operator imports from the command line: the audit log names the system.
    """
    skills = esco.load_esco_csv(path)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="esco.import",
            data={"file": Path(path).name, "skills": len(skills)},
        )
        esco.write_skills(skills, installation_skills_path())
    return len(skills)
