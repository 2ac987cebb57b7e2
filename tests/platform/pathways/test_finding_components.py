"""The pathway editor offers as components the organisation's own micro-credentials, those
ticked, and those a designer's words find, never the whole catalogue; Find components shows
the form again with what it found, keeping what was ticked and written, and saves nothing."""

from __future__ import annotations

import re

import pytest

from microcred.catalogue import services as catalogue
from microcred.pathways.models import Pathway
from tests.platform.awards.factories import make_version
from tests.platform.factories import make_organisation
from tests.platform.pathways.factories import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def elsewhere():
    """Two published micro-credentials of another organisation, and one of its drafts."""
    other = make_organisation(name="Harbour College")
    return {
        "welding": make_version(other, title="Underwater Welding"),
        "sailing": make_version(other, title="Coastal Sailing"),
        "draft": make_version(other, title="Welding Inspection", status="draft"),
    }


def offered(page: str) -> dict[str, bool]:
    """The components a page offers, by label, and whether each is ticked."""
    boxes = re.findall(
        r'<input type="checkbox" name="components" value="\d+"[^>]*?( checked)?>\s*([^<]+)</label>',
        page,
    )
    return {label.strip(): bool(ticked) for ticked, label in boxes}


def test_the_form_offers_the_organisations_own_versions_not_the_catalogue(
    client, world, elsewhere
) -> None:
    client.force_login(world.designer)
    page = client.get(f"/studio/orgs/{world.organisation.slug}/pathways/").content.decode()
    labels = offered(page)
    assert {version.title for version in world.versions} <= {
        label.split(" · ")[0] for label in labels
    }
    assert not [label for label in labels if "Harbour College" in label]


def test_find_components_adds_what_the_words_find_keeping_what_was_written(
    client, world, elsewhere
) -> None:
    client.force_login(world.designer)
    base = f"/studio/orgs/{world.organisation.slug}/pathways/"
    own = world.versions[0]
    response = client.post(
        base,
        {
            "action": "find",
            "name": "Maritime Skills",
            "components": [own.pk],
            "find": "welding",
            "external": "https://example.org/achievements/7 | did:web:example.org | Course | Knots",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Pathway.objects.filter(name="Maritime Skills").exists()
    labels = offered(page)
    assert labels["Underwater Welding · Harbour College"] is False
    assert "Coastal Sailing · Harbour College" not in labels
    assert "Welding Inspection · Harbour College" not in labels  # a draft is not in the catalogue
    assert labels[f"{own.title} · {world.organisation.name}"] is True
    assert 'value="Maritime Skills"' in page and "| Knots</textarea>" in page
    assert 'role="alert"' not in page  # finding judges nothing

    welding = elsewhere["welding"]
    created = client.post(
        base,
        {
            "name": "Maritime Skills",
            "target": world.target.pk,
            "requirement": "all",
            "components": [own.pk, welding.pk],
        },
    )
    assert created.status_code == 302
    children = Pathway.objects.get(slug="maritime-skills").rules["children"]
    assert [child["achievement"] for child in children] == [
        catalogue.achievement_id(own),
        catalogue.achievement_id(welding),
    ]


def test_a_ticked_component_stays_offered_after_another_search(client, world, elsewhere) -> None:
    client.force_login(world.designer)
    welding = elsewhere["welding"]
    page = client.post(
        f"/studio/orgs/{world.organisation.slug}/pathways/",
        {"action": "find", "name": "Maritime Skills", "components": [welding.pk], "find": "sail"},
    ).content.decode()
    labels = offered(page)
    assert labels["Underwater Welding · Harbour College"] is True
    assert labels["Coastal Sailing · Harbour College"] is False


@pytest.mark.parametrize("which", ["draft", "unknown", "not a number"])
def test_a_component_outside_the_catalogue_is_refused_by_name(
    client, world, elsewhere, which
) -> None:
    client.force_login(world.designer)
    pk = {"draft": elsewhere["draft"].pk, "unknown": 987654, "not a number": "x"}[which]
    response = client.post(
        f"/studio/orgs/{world.organisation.slug}/pathways/",
        {"name": "Broken", "target": world.target.pk, "requirement": "all", "components": [pk]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["components"] == [
        f"Select a valid choice. {pk} is not one of the available choices."
    ]
    assert not Pathway.objects.filter(slug="broken").exists()


def test_find_components_on_the_edit_page_keeps_the_slug_and_the_rules(
    client, world, elsewhere
) -> None:
    client.force_login(world.designer)
    url = f"/studio/orgs/{world.organisation.slug}/pathways/{world.pathway.slug}/"
    rules = world.pathway.rules
    response = client.post(
        url,
        {"action": "find", "name": "Renamed", "rules": '{"written": "by hand"}', "find": "weld"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert offered(page)["Underwater Welding · Harbour College"] is False
    assert (
        f'value="{world.pathway.slug}"' in page
        and "{&quot;written&quot;: &quot;by hand&quot;}" in page
    )
    world.pathway.refresh_from_db()
    assert world.pathway.name != "Renamed" and world.pathway.rules == rules
