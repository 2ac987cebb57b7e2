"""The standards engine and the reference data never import Django or the apps."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "microcred"
PURE_PACKAGES = ("vc", "frameworks")
ALLOWED_MICROCRED_IMPORTS = ("microcred.vc", "microcred.frameworks", "microcred.errors")


def imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_pure_layers_import_no_django_and_no_apps(package: str) -> None:
    offenders = []
    for source in (SRC / package).rglob("*.py"):
        for name in imported_modules(source):
            top = name.split(".")[0]
            if top == "django" or (
                top == "microcred" and not name.startswith(ALLOWED_MICROCRED_IMPORTS)
            ):
                offenders.append(f"{source.relative_to(SRC)} imports {name}")
    assert not offenders, offenders


def test_the_check_itself_catches_a_django_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from django.conf import settings\nimport microcred.catalogue.models\n")
    assert imported_modules(module) == {"django.conf", "microcred.catalogue.models"}
