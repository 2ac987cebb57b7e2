"""Instructor results in bulk: every row checked first with its line, applied only when all are
right."""

from __future__ import annotations

import pytest

from microcred.assessment import services
from microcred.assessment.models import Submission, SubmissionStatus
from microcred.audit.models import AuditEvent
from microcred.errors import Forbidden, InvalidInput, NotFound
from tests.platform.assessment.factories import (
    default_components,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_learner,
    make_submission,
)
from tests.platform.factories import add_member, make_organisation, make_user

EXAM = {
    "key": "exam",
    "kind": "result",
    "label": "Written exam",
    "required": True,
    "minimum": 0,
    "maximum": 100,
    "pass_mark": 55,
}
COURSEWORK = {**EXAM, "key": "coursework", "label": "Coursework", "maximum": 20}


@pytest.fixture
def course():
    organisation = make_organisation()
    version = make_assessed_version(
        organisation, plan={"components": [*default_components(), EXAM, COURSEWORK]}
    )
    ada = make_enrolment(version, make_learner(email="ada@example.org", username="ada"))
    bob = make_enrolment(version, make_learner(email="bob@example.org", username="bob"))
    make_submission(bob, submitted=False)
    return version, make_assessor(organisation), ada, bob


def test_valid_rows_are_all_applied(course):
    version, instructor, ada, bob = course
    content = (
        "learner,component,value\n"
        "ADA@example.org,exam,72.5\n"
        "ada,coursework,18\n"
        "bob@example.org,exam,0\n"
    )
    assert services.check_results_csv(actor=instructor, version=version, content=content) == []
    assert services.apply_results_csv(actor=instructor, version=version, content=content) == 3

    first = ada.submissions.get()
    assert first.attempt == 1
    assert first.status == SubmissionStatus.DRAFT
    assert first.results["exam"]["value"] == "72.5"
    assert first.results["coursework"]["value"] == "18"
    assert first.results["exam"]["entered_by"] == instructor.username
    assert bob.submissions.get().results["exam"]["value"] == "0"
    assert AuditEvent.objects.get(action="results.apply").data == {"rows": 3}


def test_bad_rows_are_listed_with_their_lines_and_nothing_is_applied(course):
    version, instructor, _, _ = course
    content = (
        "learner,component,value\n"
        "ada@example.org,exam,80\n"
        "nobody@example.org,exam,50\n"
        "bob@example.org,exam,101\n"
        "bob@example.org,coursework,-1\n"
        "bob@example.org,essay,12\n"
        "ada@example.org,coursework,lots\n"
        "ada@example.org,exam,81\n"
    )
    errors = services.check_results_csv(actor=instructor, version=version, content=content)
    assert [(e.line, e.column) for e in errors] == [
        (3, "learner"),
        (4, "value"),
        (5, "value"),
        (6, "component"),
        (7, "value"),
        (8, "learner"),
    ]
    assert "nobody@example.org" in errors[0].message
    assert "0 to 100" in errors[1].message
    assert "0 to 20" in errors[2].message
    assert "line 2" in errors[5].message
    with pytest.raises(InvalidInput) as error:
        services.apply_results_csv(actor=instructor, version=version, content=content.encode())
    assert error.value.code == "results.invalid_rows"
    assert error.value.field == "file"
    assert error.value.data["errors"][0] == {
        "line": 3,
        "column": "learner",
        "message": errors[0].message,
    }
    assert not Submission.objects.exclude(results={}).exists()
    assert not Submission.objects.filter(enrolment__learner__username="ada").exists()
    assert not AuditEvent.objects.filter(action="results.apply").exists()


@pytest.mark.parametrize(
    ("content", "column"),
    [
        ("learner,value\nada,50\n", "component"),
        ("email,component,value\nada,exam,50\n", "learner"),
        ("", "learner"),
    ],
)
def test_missing_columns_are_named(course, content, column):
    version, instructor, _, _ = course
    errors = services.check_results_csv(actor=instructor, version=version, content=content)
    assert (errors[0].line, errors[0].column) == (1, column)
    with pytest.raises(InvalidInput):
        services.apply_results_csv(actor=instructor, version=version, content=content)


def test_a_file_without_rows_or_not_text_is_refused(course):
    version, instructor, _, _ = course
    assert (
        services.check_results_csv(
            actor=instructor, version=version, content="learner,component,value\n"
        )[0].message
        == "The file has no rows."
    )
    with pytest.raises(InvalidInput) as error:
        services.check_results_csv(actor=instructor, version=version, content=b"\xff\xfe\x00")
    assert error.value.field == "file"


def test_a_decided_learner_takes_no_more_results(course):
    version, instructor, ada, _ = course
    make_submission(ada, status=SubmissionStatus.DECIDED, outcome="fail")
    errors = services.check_results_csv(
        actor=instructor, version=version, content="learner,component,value\nada,exam,50\n"
    )
    assert [(e.line, e.column) for e in errors] == [(2, "learner")]


def test_only_the_organisations_assessors_upload_results(course):
    version, _, _, _ = course
    content = "learner,component,value\nada,exam,50\n"
    designer = add_member(version.microcredential.organisation, make_user(), "designer")
    with pytest.raises(Forbidden):
        services.apply_results_csv(actor=designer, version=version, content=content)
    with pytest.raises(NotFound):
        services.apply_results_csv(
            actor=make_assessor(make_organisation()), version=version, content=content
        )
    assert not Submission.objects.exclude(results={}).exists()
    assert [
        v.pk
        for v in services.get_result_versions(
            actor=make_assessor(version.microcredential.organisation),
            organisation_slug=version.microcredential.organisation.slug,
        )
    ] == [version.pk]
