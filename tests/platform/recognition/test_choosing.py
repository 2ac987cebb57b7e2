"""The first step of an application for recognition: the learner finds the version by a search
of the catalogue, and the form then names it. No page lists the whole catalogue."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client

from microcred.catalogue.models import MicroCredentialVersion
from microcred.recognition.models import RecognitionRequest
from tests.platform.catalogue.factories import make_draft, make_published
from tests.platform.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

APPLY = "/me/recognition/apply"


@pytest.fixture
def catalogue(monkeypatch: pytest.MonkeyPatch) -> dict[str, MicroCredentialVersion]:
    """Four published micro-credentials, a step of the search offering two of them."""
    from microcred.recognition import views

    monkeypatch.setattr(views, "VERSIONS_TO_CHOOSE_FROM", 2)
    organisation = make_organisation(slug="guild", name="Guild of Trades")
    titles = ["Arc Welding", "Baking Bread", "Carpentry", "Drywall"]
    return {title: make_published(organisation, title=title) for title in titles}


@pytest.fixture
def learner(client: Client) -> Client:
    client.force_login(make_user(password=None))
    return client


def offered(page: str) -> list[str]:
    return re.findall(r'href="\?version=[0-9a-f-]{36}">([^<]+)</a>', page)


def test_the_first_step_offers_a_page_of_the_catalogue_not_all_of_it(learner, catalogue) -> None:
    page = learner.get(APPLY)
    assert page.status_code == 200
    assert offered(page.text) == ["Arc Welding", "Baking Bread"]
    assert "More micro-credentials match: add words to narrow the search." in page.text
    # No choice among every version, and no request form before a version is chosen.
    assert '<select name="version"' not in page.text and 'name="statement"' not in page.text


def test_words_find_the_version_and_its_link_opens_the_form_for_it(learner, catalogue) -> None:
    page = learner.get(APPLY, {"q": "bread"})
    assert offered(page.text) == ["Baking Bread"] and "More micro-credentials" not in page.text
    href = re.search(r'href="(\?version=[0-9a-f-]{36})"', page.text).group(1)
    form = learner.get(APPLY + href)
    chosen = catalogue["Baking Bread"]
    assert form.status_code == 200 and 'name="statement"' in form.text
    assert f'<input type="hidden" name="version" value="{chosen.achievement_uuid}">' in form.text
    assert re.search(
        r'Recognise my learning as <a lang="en" href="[^"]+">Baking Bread</a>', form.text
    )
    assert f'href="{APPLY}">choose another</a>' in form.text


def test_words_that_find_nothing_say_so(learner, catalogue) -> None:
    page = learner.get(APPLY, {"q": "astrophysics"})
    assert page.status_code == 200 and offered(page.text) == []
    assert "Nothing in the catalogue matches these words." in page.text


def test_a_search_too_long_names_the_field(learner, catalogue) -> None:
    page = learner.get(APPLY, {"q": "x" * 201})
    assert page.status_code == 400
    assert page.context["form"].errors["q"] == [
        "Ensure this value has at most 200 characters (it has 201)."
    ]


@pytest.mark.parametrize(
    "reference", ["not-a-uuid", "5b0c8e2e-7d35-4c52-9a57-0d8a1f6a3c11", "draft"]
)
def test_a_reference_to_no_published_version_leads_back_to_the_search(
    learner, catalogue, reference
) -> None:
    if reference == "draft":
        reference = str(make_draft(make_organisation(), title="Unpublished").achievement_uuid)
    page = learner.get(APPLY, {"version": reference})
    assert page.status_code == 404
    assert "No published micro-credential has this reference: search for it." in page.text
    assert offered(page.text) == ["Arc Welding", "Baking Bread"]


def test_a_request_for_no_published_version_is_refused_and_nothing_is_kept(
    learner, catalogue
) -> None:
    response = learner.post(
        APPLY,
        {
            "version": str(uuid.uuid4()),
            "statement": "Ten years in a bakery.",
            "learning_setting": "informal",
            "evidence": "A letter from the baker.",
        },
    )
    assert response.status_code == 400
    assert "No published micro-credential has this reference" in response.text
    assert not RecognitionRequest.objects.exists()


def test_the_request_goes_to_the_version_chosen(learner, catalogue) -> None:
    chosen = catalogue["Carpentry"]
    response = learner.post(
        APPLY,
        {
            "version": str(chosen.achievement_uuid),
            "statement": "Ten years of cabinet making.",
            "learning_setting": "informal",
            "evidence": "Photographs of my cabinets.",
        },
    )
    assert response.status_code == 302
    assert RecognitionRequest.objects.get().version_id == chosen.pk
