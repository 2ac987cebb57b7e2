"""One declaration of a specification's fields: the model agrees with it, and the design form,
the API's schemas and the quality checks' specification are made from it."""

from __future__ import annotations

import dataclasses

import pytest
from django import forms as django_forms
from django.db import models
from django.test import Client
from pydantic import ValidationError, create_model

from microcred.catalogue import api, services
from microcred.catalogue import forms as catalogue_forms
from microcred.catalogue.fields import (
    MANDATORY_ELEMENTS,
    SPECIFICATION,
    AnnexI,
    Kind,
    SpecField,
)
from microcred.catalogue.models import MicroCredentialVersion
from microcred.errors import InvalidInput
from microcred.frameworks.quality import parse_specification
from microcred.frameworks.quality.specification import Specification
from tests.platform.api import Api
from tests.platform.catalogue.factories import make_designer, make_draft, make_published

PUBLIC_URL = "https://microcred.test"
MODEL_FIELD_OF_KIND = {
    Kind.LINE: models.CharField,
    Kind.TEXT: models.TextField,
    Kind.DECIMAL: models.DecimalField,
    Kind.INTEGER: models.IntegerField,
    Kind.BOOLEAN: models.BooleanField,
    Kind.WORDS: models.JSONField,
    Kind.DATE: models.DateField,
    Kind.IMAGE: models.FileField,
}
QUALITY_TYPE_OF_KIND = {
    Kind.LINE: "str",
    Kind.TEXT: "str",
    Kind.DECIMAL: "float | None",
    Kind.INTEGER: "int | None",
    Kind.BOOLEAN: "bool",
    Kind.WORDS: "tuple[str, ...]",
    Kind.DATE: "date | None",
    Kind.IMAGE: "bool",
}
# The version's columns that are not the designer's to write.
BOOKKEEPING = {
    "id",
    "microcredential",
    "number",
    "status",
    "achievement_uuid",
    "created_by",
    "created_at",
    "updated_at",
    "published_at",
    "search_document",
    "search_vector",
}
# With the factory's values, a value for every declared field but the image.
EVERY_FIELD_STATED = {
    "awarding_body": "Faculty of Education",
    "statement_of_purpose": "Better assessment in schools.",
    "evidence_of_need": "School inspectors' reports.",
    "delivery_mode": "Weekly seminars",
    "further_information": "https://example.org/assessment",
    "duration": "6 weeks",
    "price_amount": "250",
    "price_currency": "EUR",
    "validity_months": 36,
    "review_date": "2028-06-30",
}
NEW_FIELD = SpecField(
    "target_audience",
    "Target audience",
    Kind.TEXT,
    "Who the micro-credential is for.",
    annex_i=None,
)


@pytest.mark.parametrize("field", SPECIFICATION, ids=lambda field: field.name)
def test_the_model_stores_each_declared_field_as_declared(field: SpecField) -> None:
    column = MicroCredentialVersion._meta.get_field(field.name)
    assert isinstance(column, MODEL_FIELD_OF_KIND[field.kind])
    assert column.max_length == field.max_length or field.kind is not Kind.LINE
    if field.kind is Kind.DECIMAL:
        assert (column.max_digits, column.decimal_places) == (
            field.max_digits,
            field.decimal_places,
        )
    if field.kind in (Kind.DECIMAL, Kind.INTEGER, Kind.DATE):
        assert column.null, "a number or a date not stated is stored as NULL"
    if column.choices:
        assert list(column.choices) == list(field.choices)
    if field.default is not None:
        assert column.default == field.default


def test_every_column_a_designer_writes_is_declared() -> None:
    columns = {
        column.name
        for column in MicroCredentialVersion._meta.concrete_fields
        if column.name not in BOOKKEEPING
    }
    assert columns == {field.name for field in SPECIFICATION}


def test_publishing_needs_the_mandatory_elements_in_the_recommendations_order() -> None:
    assert [name for name, _ in MANDATORY_ELEMENTS] == [
        "title",
        "country",
        "outcomes",
        "workload_hours",
        "assessment_type",
        "participation_form",
        "quality_assurance",
    ]
    assert all(field.annex_i.mandatory for field in SPECIFICATION if field.publish_needs)
    assert AnnexI.LEARNING_OUTCOMES.words == dict(MANDATORY_ELEMENTS)["outcomes"]


def test_every_declared_field_reaches_the_form_the_api_and_the_quality_checks() -> None:
    draft = make_draft(**EVERY_FIELD_STATED)
    form = catalogue_forms.VersionForm()
    specification = services.get_specification(draft)
    parsed = parse_specification(specification)
    for field in SPECIFICATION:
        assert form.fields[field.name].label == field.label
        sent = specification[field.name]
        assert sent == field.plain(getattr(draft, field.name)), field.name
        assert sent not in (None, "", []), f"give the draft a value of {field.name}"
        read = getattr(parsed, field.name)
        assert field.plain(list(read) if field.kind is Kind.WORDS else read) == sent, field.name
        if field.kind is Kind.IMAGE:
            continue
        for schema in (api.VersionPatch, api.MicroCredentialIn, api.VersionOut):
            assert field.name in schema.model_fields, (schema.__name__, field.name)
        assert str(field.help_text) in api.VersionOut.model_fields[field.name].description


def test_the_api_writes_and_reads_every_declared_field(client: Client) -> None:
    stated = make_draft(**EVERY_FIELD_STATED)
    organisation = stated.microcredential.organisation
    body = {field.name: field.plain(getattr(stated, field.name)) for field in api.API_FIELDS}
    body["title"] = "Classroom assessment, again"
    call = Api(client, make_designer(organisation))
    created = call("POST", f"/orgs/{organisation.slug}/microcredentials", body)
    assert created.status_code == 201, created.json()
    version = MicroCredentialVersion.objects.get(microcredential__slug="classroom-assessment-again")
    for field in api.API_FIELDS:
        assert field.plain(getattr(version, field.name)) == body[field.name], field.name
        shown = created.json()[field.name]
        assert (float(shown) if field.kind is Kind.DECIMAL else shown) == body[field.name]


def test_the_api_schemas_keep_their_shape() -> None:
    """Derived from the declaration, the schemas still refuse and require what they did."""
    assert api.MicroCredentialIn.model_fields["title"].is_required()
    assert not api.VersionPatch.model_fields["title"].is_required()
    with pytest.raises(ValidationError):
        api.VersionPatch(participation_form="by post")
    assert api.VersionPatch(achievement_type="Anything").achievement_type == "Anything"
    with pytest.raises(ValidationError):
        api.VersionPatch(colour="blue")


def test_a_field_added_to_the_declaration_reaches_the_form_the_api_and_the_quality_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    declaration = (*SPECIFICATION, NEW_FIELD)
    monkeypatch.setattr(catalogue_forms, "SPECIFICATION", declaration)
    monkeypatch.setattr(services, "SPECIFICATION", declaration)
    form = catalogue_forms.VersionForm(
        {"v-title": "Data literacy", "v-target_audience": " Nurses "}
    )
    assert isinstance(form.fields["target_audience"].widget, django_forms.Textarea)
    assert form.fields["target_audience"].help_text == "Who the micro-credential is for."

    patch = create_model(
        "Patch", __base__=api.Strict, **api.input_fields([NEW_FIELD], optional=True)
    )
    assert patch(target_audience="Nurses").target_audience == "Nurses"
    assert patch().target_audience is None
    assert api.output_type(NEW_FIELD) is str
    assert "Who the micro-credential is for." in api.describe(NEW_FIELD)

    draft = make_draft()
    draft.target_audience = NEW_FIELD.clean(" Nurses ")
    assert services.get_specification(draft)["target_audience"] == "Nurses"
    # The quality checks read only what their Specification declares, and say so.
    with pytest.raises(InvalidInput) as refused:
        parse_specification(services.get_specification(draft))
    assert refused.value.field == "target_audience"


@pytest.mark.parametrize(
    ("name", "value", "path"),
    [
        ("title", "", "title"),
        ("country", "Nederland", "country"),
        ("workload_hours", "0", "workload_hours"),
        ("eqf_level", 9, "eqf_level"),
        ("participation_form", "by post", "participation_form"),
        ("achievement_type", "Diploma", "achievement_type"),
        ("supervised", "yes", "supervised"),
        ("languages", ["en", "!!"], "languages[1]"),
        ("tags", "one, two", "tags"),
        ("price_amount", "-1", "price_amount"),
        ("price_currency", "dollars", "price_currency"),
        ("review_date", "soon", "review_date"),
        ("duration", "x" * 101, "duration"),
    ],
)
def test_each_rule_names_the_field_it_refuses(name: str, value: object, path: str) -> None:
    """The error's ``field`` is the path; its message calls the field by its label."""
    field = next(field for field in SPECIFICATION if field.name == name)
    with pytest.raises(InvalidInput) as refused:
        field.clean(value)
    assert refused.value.field == path
    assert field.label.lower() in refused.value.message.lower() or name == "title"


def test_the_quality_checks_read_every_declared_field_with_a_type_of_its_kind() -> None:
    """The frameworks' Specification (which cannot import the declaration) has an attribute
    for each declared field, typed as the specification sends the field's kind."""
    types = {attribute.name: str(attribute.type) for attribute in dataclasses.fields(Specification)}
    for field in SPECIFICATION:
        assert types.get(field.name) == QUALITY_TYPE_OF_KIND[field.kind], field.name


def test_the_version_page_lists_the_listed_fields_in_words(client: Client) -> None:
    version = make_published(
        achievement_type="Course", price_amount="250", price_currency="EUR", duration="6 weeks"
    )
    page = client.get(services.version_url(version).removeprefix(PUBLIC_URL)).content.decode()
    for label, words in [
        ("Achievement type", "Course"),
        ("Languages", "en, nl"),
        ("Duration", "6 weeks"),
        ("Price", "250"),
        ("Currency", "Euro"),
        ("Valid for (months)", "No expiry"),
        ("Tags", "assessment, teaching"),
    ]:
        assert f"<dt>{label}</dt><dd>{words}</dd>" in page
