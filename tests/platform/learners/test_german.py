"""The learner's credentials in German: the list, one credential's page, its messages and the
embeddable card; the credential's own title stays as its designers wrote it."""

from __future__ import annotations

from urllib.parse import unquote

from django.test import Client
from django.utils import dateformat, timezone, translation

from microcred.awards import services as awards
from tests.platform.wallets.factories import learner_award


def test_the_list_speaks_german_and_keeps_the_title_as_written(german: Client) -> None:
    learner, _, award = learner_award()
    german.force_login(learner)
    page = german.get("/me/credentials/").content.decode()
    assert "Meine Nachweise" in page and "Auf dieser Plattform ausgestellt" in page
    assert "Gültig" in page and "Von anderen Ausstellern importiert" in page
    assert "My credentials" not in page and "Issued on this platform" not in page
    assert award.version.title in page
    assert f'lang="{award.version.content_language}">{award.version.title}' in page
    with translation.override("de"):
        issued = dateformat.format(timezone.localtime(award.issued_at), "j. N Y")
    assert f"<td>{issued}</td>" in page


def test_an_empty_list_says_in_german_how_credentials_arrive(german: Client) -> None:
    learner, _, award = learner_award()
    award.delete()
    german.force_login(learner)
    page = german.get("/me/credentials/").content.decode()
    assert "Noch keine Nachweise" in page and "No credentials yet" not in page


def test_the_credential_page_and_its_sharing_speak_german(german: Client) -> None:
    learner, _, award = learner_award()
    german.force_login(learner)
    page = german.get(f"/me/credentials/{award.uuid}").content.decode()
    for words in ("Wer ihn sehen kann", "Freigabelinks", "Teilen", "Signierter Nachweis (JSON)"):
        assert words in page
    for words in ("Who can see it", "Share links", "Signed credential", "Make it private"):
        assert words not in page
    assert 'data-copied="Kopiert"' in page
    email = page.split('class="email-link" href="', 1)[1].split('"', 1)[0]
    assert "Mein Nachweis: " + award.version.title in unquote(email.replace("&amp;", "&"))


def test_what_the_learner_does_is_confirmed_in_german(german: Client) -> None:
    learner, _, award = learner_award()
    german.force_login(learner)
    url = f"/me/credentials/{award.uuid}"
    page = german.post(f"{url}/visibility", {"visibility": "private"}, follow=True)
    assert "Erledigt: Der Nachweis ist jetzt privat." in page.content.decode()
    page = german.post(f"{url}/share-links", {"label": "Bewerbung"}, follow=True)
    assert "Freigabelink erstellt: " in page.content.decode()
    [link] = awards.get_share_links(award)
    page = german.post(f"{url}/share-links/{link.pk}/revoke", follow=True).content.decode()
    assert "Der Freigabelink wurde widerrufen" in page and "Widerrufen am" in page


def test_the_embedded_card_speaks_the_visitors_language(german: Client) -> None:
    _, _, award = learner_award()
    page = german.get(f"/credentials/{award.uuid}/embed").content.decode()
    assert '<html lang="de">' in page and "Verliehen an" in page and "Awarded to" not in page
    english = Client().get(f"/credentials/{award.uuid}/embed").content.decode()
    assert '<html lang="en">' in english and "Awarded to" in english
