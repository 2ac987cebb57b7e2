"""The engine's sentences: English as text and in JSON, translated where a page shows them.

The standards engine writes :func:`microcred.text.sentence` instead of f-strings. What it
says stays English for the API, the command line and storage; a Django template calls
``__html__`` and shows it in the visitor's language, its arguments escaped. Sentences kept
as plain English (a review's findings, a stored report) are recognised again when loaded.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from datetime import date

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from microcred import text
from microcred.frameworks.quality import check_specification
from microcred.frameworks.quality.profiles.coherence import PROFILE as COHERENCE
from microcred.text import plural_sentence, sentence
from microcred.vc import Ed25519Multikey, verify
from tests.factories import signed_credential

OUTCOME = "Outcome %(number)s starts with %(verb)s, which is not a verb of Bloom's taxonomy; "


def shown(value: object, language: str = "de") -> str:
    """What a template shows for ``value`` with ``language`` chosen."""
    with translation.override(language):
        return Template("{{ value }}").render(Context({"value": value}))


def test_a_sentence_is_english_text_and_json() -> None:
    said = sentence("The credential expired on %(end)s.", end="2026-01-01")
    assert said == "The credential expired on 2026-01-01."
    assert isinstance(said, str)
    assert str(said) == "The credential expired on 2026-01-01."
    assert json.dumps({"message": said}) == '{"message": "The credential expired on 2026-01-01."}'
    assert pickle.loads(pickle.dumps(said)).args == {"end": "2026-01-01"}


def test_a_page_in_german_shows_the_sentence_in_german() -> None:
    said = sentence("The credential expired on %(end)s.", end="2026-01-01")
    assert shown(said) == "Der Nachweis ist am 2026-01-01 abgelaufen."
    assert shown(said, "en") == "The credential expired on 2026-01-01."
    assert said == "The credential expired on 2026-01-01."  # still English as text


def test_arguments_are_escaped_and_sentences_inside_sentences_translate() -> None:
    said = sentence("The signing key belongs to the issuer %(issuer)s.", issuer="<b>x</b>")
    assert shown(said) == "Der Signaturschlüssel gehört dem Aussteller &lt;b&gt;x&lt;/b&gt;."
    reason = sentence(
        "your %(name)s has %(value)s; %(need)s is needed", name="<i>", value="B", need="A"
    )
    nested = sentence("Still to do: %(name)s: %(reason)s.", name="A & B", reason=reason)
    assert shown(nested) == (
        "Noch offen: A &amp; B: Ihr Nachweis &lt;i&gt; hat B; A ist erforderlich."
    )


def test_plurals_follow_the_shown_language() -> None:
    one = plural_sentence("%(count)s hour", "%(count)s hours", count=1)
    many = plural_sentence("%(count)s hour", "%(count)s hours", count=3)
    assert (one, many) == ("1 hour", "3 hours")
    assert (shown(one), shown(many)) == ("1 Stunde", "3 Stunden")


def test_without_a_site_the_engine_stays_english() -> None:
    script = (
        "from microcred.text import sentence; "
        "print(sentence('The credential expired on %(end)s.', end='<now>').__html__())"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip() == "The credential expired on &lt;now&gt;."


def test_a_stored_sentence_is_recognised_and_translates_again() -> None:
    [finding] = [
        finding
        for finding in check_specification(
            {"outcomes": [{"text": "Whistle a tune"}]}, profiles=[], today=date(2026, 1, 1)
        )
        if finding.rule_id == "coherence.known-verb"
    ]
    stored = json.loads(json.dumps(finding.as_dict()))["message"]
    assert type(stored) is str and stored.startswith("Outcome 1 starts with 'whistle'")
    again = text.recognise(stored)
    assert again == stored and again.template.startswith(OUTCOME)
    assert shown(again).startswith("Lernergebnis 1 beginnt mit &#x27;whistle&#x27;")
    assert text.recognise("Something the engine never said.") == "Something the engine never said."


def test_a_stored_report_is_recognised_with_its_nested_reports() -> None:
    stored = {
        "summary": "1 check failed. See below for what is wrong.",
        "checks": [{"id": "contexts", "message": "All JSON-LD contexts are known and current."}],
        "nested": [{"checks": [{"id": "x", "message": "The credential does not expire."}]}],
    }
    report = text.recognise_report(stored)
    assert shown(report["summary"]) == (
        "1 Prüfung ist fehlgeschlagen. Was nicht stimmt, steht unten."
    )
    assert (
        shown(report["checks"][0]["message"]) == "Alle JSON-LD-Kontexte sind bekannt und aktuell."
    )
    assert shown(report["nested"][0]["checks"][0]["message"]) == "Der Nachweis läuft nicht ab."


def test_a_stored_summary_of_a_verified_credential_reads_in_german_to_its_end() -> None:
    [report] = verify(signed_credential(Ed25519Multikey.generate()))
    stored = json.loads(json.dumps({"summary": report.summary}))
    german = shown(text.recognise_report(stored)["summary"])
    assert german == shown(report.summary)
    assert german.startswith("Die Signatur ist gültig") and german.endswith("abgelaufen.")


def test_a_long_stored_text_is_kept_as_it_is() -> None:
    long = "The credential's name is " + "very long " * 200 + "."
    assert type(text.recognise(long)) is str


def test_every_quality_rule_and_checklist_item_has_german() -> None:
    with translation.override("de"):
        for rule in COHERENCE.rules:
            assert shown(rule.message) != rule.message, rule.id
        for item_id, item in COHERENCE.checklist:
            assert shown(item) != item, item_id


def test_the_verification_report_summary_reads_in_german() -> None:
    key = Ed25519Multikey.generate()
    [report] = verify(signed_credential(key))
    assert report.verified
    assert report.summary.startswith("The signature is valid")
    german = shown(report.summary)
    assert german.startswith("Die Signatur ist gültig")
    assert "signature" not in german


def test_the_verify_page_in_german_shows_german_checks() -> None:
    key = Ed25519Multikey.generate()
    signed = signed_credential(key)
    signed["name"] = "Changed after signing"
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.cookies["django_language"] = "de"
    page = client.post("/verify", {"credential": json.dumps(signed)}).content.decode()
    assert 'data-verified="false"' in page
    assert "Die Signatur stimmt nicht" in page
    assert "The signature does not match" not in page
    assert "Alle JSON-LD-Kontexte sind bekannt und aktuell." in page


@pytest.mark.django_db
def test_a_review_page_in_german_shows_the_stored_findings_in_german() -> None:
    from microcred.quality import services
    from tests.platform.catalogue.factories import make_draft
    from tests.platform.quality.factories import make_reviewer, vet

    draft = make_draft(outcomes=["Whistle a tune in class", "Explain how feedback helps"])
    organisation = draft.microcredential.organisation
    vet(organisation)
    review = services.submit_version(actor=draft.created_by, version=draft)
    english = [finding["message"] for finding in review.findings]
    assert any(message.startswith("Outcome 1 starts with 'whistle'") for message in english)

    client = Client()
    client.force_login(make_reviewer(organisation))
    client.cookies["django_language"] = "de"
    url = f"/studio/orgs/{organisation.slug}/quality/{draft.microcredential.slug}/v{draft.number}/"
    page = client.get(url).content.decode()
    assert "Lernergebnis 1 beginnt mit &#x27;whistle&#x27;" in page
    assert "Outcome 1 starts with" not in page


def test_pathway_progress_reads_in_german() -> None:
    from microcred.frameworks.pathways import evaluate, parse_pathway
    from tests.frameworks.test_pathways import component, group, held

    rules = parse_pathway(
        group("all", {"all": True}, component("stats", "Statistik"), component("viz", "Viz"))
    )
    progress = evaluate(rules, [held("stats")], on=date(2026, 6, 30))
    assert progress.message == "1 of 2 done: still missing Viz."
    assert shown(progress.message) == "1 von 2 erledigt: Es fehlen noch Viz."
    assert shown(progress["stats"].message) == "Erledigt: Statistik (2026-01-15)."
    assert shown(progress["viz"].message) == "Noch offen: Viz."


def test_the_sentences_own_words_are_escaped_too() -> None:
    said = sentence("%(did)s is not a did:web: expected did:web:<domain>[:<path>...].", did="did:x")
    assert said == "did:x is not a did:web: expected did:web:<domain>[:<path>...]."
    assert "erwartet wird did:web:&lt;domain&gt;[:&lt;path&gt;...]" in shown(said)


@given(
    pieces=st.lists(
        st.sampled_from(
            ["%(a)s", "%(b)s", "%%", "%", "%s", "%d", "%(a)d", "% o", "50% of", "text", " ", ""]
        ),
        max_size=8,
    ),
    a=st.one_of(st.text(max_size=5), st.integers(), st.floats(allow_nan=False)),
)
def test_a_sentence_fills_its_template_as_the_translator_would(
    pieces: list[str], a: object
) -> None:
    # English is filled with `%` where the template holds only placeholders and %%, and
    # literally otherwise: both must give what filling a translation gives.
    template = "".join(pieces)
    args = {"a": a, "b": sentence("inner %(a)s", a=a)}
    assert sentence(template, **args) == text._fill(template, args, str)
