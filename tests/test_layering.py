"""The layers of the code import one way only (docs/decisions/0005-layer-order.md).

At the bottom, the standards engine and the reference data never import Django
or the apps. Above them, the apps stand in one order: an app imports only apps
below it, and only their public modules, never their ``models`` (it asks their
services). Function-level imports count as much as those at the top of a file.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "microcred"
PURE_PACKAGES = ("vc", "frameworks")
# ``microcred.text`` too: the engine's sentences, translated only where a page shows them.
ALLOWED_MICROCRED_IMPORTS = (
    "microcred.vc",
    "microcred.frameworks",
    "microcred.errors",
    "microcred.text",
)

# Lowest first. ``core`` is the shared layer (the API instance, the admin base, the staff page
# helpers, the public URLs); ``site`` holds the settings, the root URLs and the demo.
LAYERS = (
    "core",
    "audit",
    "accounts",
    "organisations",
    "catalogue",
    "awards",
    "assessment",
    "quality",
    "verification",
    "recognition",
    "pathways",
    "credentialengine",
    "europass",
    "wallets",
    "bulk",
    "obapi",
    "learners",
    "studio",
    "site",
)
# Modules of the package itself that any layer may use: they import no app.
SHARED_MODULES = {"vc", "frameworks", "errors", "inputs", "datafiles", "cli", "__main__", "text"}


def imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # ``from microcred.catalogue import models`` names the module in the alias.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def layering_offences(root: Path) -> list[str]:
    """Return each import under ``root`` that runs up the layers or into another app's models."""
    offences = []
    for source in sorted(root.rglob("*.py")):
        parts = source.relative_to(root).parts
        if parts[0] not in LAYERS or "migrations" in parts:
            continue
        importer = LAYERS.index(parts[0])
        for name in sorted(imported_modules(source)):
            segments = name.split(".")
            if segments[0] != "microcred" or len(segments) < 2 or segments[1] not in LAYERS:
                continue
            target = LAYERS.index(segments[1])
            where = f"{source.relative_to(root)} imports {name}"
            if target > importer:
                offences.append(f"{where}: {segments[1]} is above {parts[0]}")
            elif target < importer and "models" in segments[2:3]:
                offences.append(f"{where}: ask {segments[1]}'s services, not its models")
    return offences


def template_offences(root: Path) -> list[str]:
    """Return each ``{% include %}`` under ``root`` of a template of an app above the includer."""
    offences = []
    for template in sorted(root.glob("*/templates/**/*.html")):
        owner = template.relative_to(root).parts[0]
        for match in re.finditer(r'{%\s*include\s+"([a-z_]+)/', template.read_text("utf-8")):
            included = match.group(1)
            if included in LAYERS and LAYERS.index(included) > LAYERS.index(owner):
                offences.append(f"{template.relative_to(root)} includes a template of {included}")
    return offences


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


def test_apps_import_only_down_the_layers_and_never_another_apps_models() -> None:
    assert not layering_offences(SRC), "\n".join(layering_offences(SRC))


def test_templates_include_only_templates_of_their_layer_or_below() -> None:
    assert not template_offences(SRC), "\n".join(template_offences(SRC))


def test_every_package_has_a_place_in_the_order() -> None:
    packages = {path.name for path in SRC.iterdir() if path.is_dir() and path.name != "__pycache__"}
    modules = {path.stem for path in SRC.glob("*.py")}
    assert packages - set(LAYERS) - SHARED_MODULES == set()
    assert modules - SHARED_MODULES == {"__init__"}


def test_the_check_itself_catches_a_django_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from django.conf import settings\nimport microcred.catalogue.models\n")
    assert imported_modules(module) == {
        "django.conf",
        "django.conf.settings",
        "microcred.catalogue.models",
    }


def test_the_check_itself_catches_upward_and_models_imports(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "views.py").write_text(
        "def page():\n    from microcred.quality import services\n"
        "from microcred.organisations.models import Role\n"
        "from microcred.organisations import models\n"
        "from microcred.organisations import services\n"
        "from microcred.catalogue.models import MicroCredential\n"
    )
    assert layering_offences(tmp_path) == [
        "catalogue/views.py imports microcred.organisations.models: "
        "ask organisations's services, not its models",
        "catalogue/views.py imports microcred.organisations.models.Role: "
        "ask organisations's services, not its models",
        "catalogue/views.py imports microcred.quality: quality is above catalogue",
        "catalogue/views.py imports microcred.quality.services: quality is above catalogue",
    ]


def test_the_check_itself_catches_an_upward_template_include(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue" / "templates" / "catalogue"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text(
        '{% include "core/form.html" %}{% include "quality/studio/_status.html" with live=True %}'
    )
    assert template_offences(tmp_path) == [
        "catalogue/templates/catalogue/page.html includes a template of quality"
    ]
