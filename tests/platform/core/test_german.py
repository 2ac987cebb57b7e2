"""What every staff page shares, in German: the refusal page, the verification report,
and the dashboard's links of the areas."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from microcred.core import pages
from microcred.core.pages import get_area_links, register_area
from tests.platform.factories import make_user


def test_a_refused_page_says_so_in_german(client: Client) -> None:
    client.cookies["django_language"] = "de"
    client.force_login(make_user())

    response = client.get("/studio/vetting/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "Das dürfen Sie nicht" in page and "Nur die Plattform-Administration darf" in page
    assert "You may not do this" not in page and "Only platform admins" not in page


def test_the_verification_report_names_its_parts_in_german() -> None:
    report = {
        "verified": False,
        "name": "Data Literacy",
        "summary": "",
        "format": "VC-JWT",
        "issuer": "did:web:example.org",
        "checks": [
            {"id": "proof.signature", "status": "failed", "message": ""},
            {"id": "status.revocation", "status": "passed", "message": ""},
        ],
    }
    with translation.override("de"):
        page = render_to_string("core/verification_report.html", {"report": report})

    for words in ("Nicht verifiziert", "Aussteller", "Was geprüft wurde", "fehlgeschlagen"):
        assert words in page, words
    assert "bestanden" in page and "Issuer" not in page and "What was checked" not in page


def test_the_dashboard_shows_an_area_label_in_the_visitors_language(monkeypatch) -> None:
    monkeypatch.setattr(pages, "_AREAS", {})
    register_area(label="Credential inflation watch", url_name="quality:watch")

    with translation.override("de"):
        assert [
            label for label, _url in get_area_links("org", ["owner"], platform_admin=False)
        ] == ["Inflationsmonitor für Nachweise"]
    with translation.override("en"):
        assert [
            label for label, _url in get_area_links("org", ["owner"], platform_admin=False)
        ] == ["Credential inflation watch"]
