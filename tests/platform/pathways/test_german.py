"""Pathway pages in German: the list, the diagram, the import page and the studio.

Pathway and component names are what designers wrote and stay as written; the sentences
around them, the form labels and the errors are German when the visitor chooses German.
"""

from __future__ import annotations

from django.test import Client

from microcred.accounts.models import User
from tests.platform.factories import make_user
from tests.platform.pathways.factories import make_world


def test_the_list_and_the_diagram_are_german(german: Client) -> None:
    world = make_world()
    listing = german.get("/pathways/").content.decode()
    assert "<h1>Lernpfade</h1>" in listing
    assert "führt zu" in listing and "leads to" not in listing
    assert "Data Science Foundations" in listing
    page = german.get(f"/pathways/{world.organisation.slug}/{world.pathway.slug}/")
    body = page.content.decode()
    assert "Bestandteile" in body and "alle davon" in body
    assert "Wer ihn abschließt, erhält" in body
    for english in ("Components", "all of these", "Completing it earns"):
        assert english not in body


def test_a_learner_sees_done_and_missing_in_german(german: Client) -> None:
    world = make_world()
    german.force_login(world.learner(holds=2))
    body = german.get(f"/pathways/{world.organisation.slug}/{world.pathway.slug}/")
    text = body.content.decode()
    assert "Ihr Fortschritt" in text
    assert text.count('<span class="pathway-state">erledigt</span>') == 2
    assert text.count('<span class="pathway-state">fehlt</span>') == 1
    assert 'aria-label="Erledigt"' in text and "Your progress" not in text


def test_the_studio_form_names_the_field_of_an_error_in_german(german: Client) -> None:
    world = make_world()
    german.force_login(world.designer)
    url = f"/studio/orgs/{world.organisation.slug}/pathways/"
    page = german.get(url).content.decode()
    assert "Neuer Lernpfad" in page and "Entwurf anlegen" in page
    response = german.post(url, {"name": "Leer", "target": world.target.pk, "requirement": "all"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "<legend>Bestandteile</legend>" in text
    assert "Wählen Sie mindestens einen Bestandteil oder schreiben Sie die Regeln." in text
    response = german.post(url, {"target": world.target.pk, "requirement": "atLeast"})
    assert response.status_code == 400
    assert "Name:</label>" in response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_the_import_page_and_its_errors_are_german(german: Client) -> None:
    learner: User = make_user()
    german.force_login(learner)
    page = german.get("/me/credentials/import").content.decode()
    assert "Nachweis eines anderen Ausstellers importieren" in page
    assert "Importieren und prüfen" in page
    response = german.post("/me/credentials/import", {})
    assert response.status_code == 400
    assert "Fügen Sie einen Nachweis ein oder wählen Sie eine Datei." in response.content.decode()
    response = german.post("/me/credentials/import", {"credential": "kein Nachweis"})
    assert response.status_code == 400
    assert "Paste a credential" not in response.content.decode()
