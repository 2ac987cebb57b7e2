"""The demo data `make run` loads: real organisations, published versions and signed awards."""

from __future__ import annotations

from microcred.accounts.models import User
from microcred.audit.services import check_chain
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.organisations import services as organisations
from microcred.site.demo_platform import load_platform_demo


def test_the_demo_has_issuers_published_credentials_and_awards_in_every_state() -> None:
    lines = list(load_platform_demo())
    assert any("Awards" in line for line in lines)
    assert {o.slug for o in organisations.get_organisations()} == {"northfield", "lakeside"}
    published = catalogue.get_published_versions()
    titles = {version.title for version in published}
    assert {"Assessment Literacy", "Understanding Student Well-being"} <= titles
    assert {
        v.eqf_level for v in published if v.microcredential.organisation.slug == "lakeside"
    } == {6, 7}

    admin = User.objects.get(username="admin")
    all_awards = [
        award
        for slug in ("northfield", "lakeside")
        for award in awards.list_awards(actor=admin, organisation_slug=slug)
    ]
    statuses = sorted(award.status for award in all_awards)
    assert statuses.count("revoked") == 1 and statuses.count("suspended") == 1
    for award in all_awards:
        report = awards.verify_award(award)
        assert report.verified is (award.status == "active"), (award.status, report.as_dict())
    assert check_chain().intact


def test_loading_the_demo_twice_changes_nothing() -> None:
    list(load_platform_demo())
    before = check_chain().events
    assert list(load_platform_demo()) == ["Platform demo data is loaded already."]
    assert check_chain().events == before
