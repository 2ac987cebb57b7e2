"""Full-text search of the catalogue: the searched text of each version, indexed on PostgreSQL.

Each published version keeps its search document (description, field, tags,
outcomes, organisation) and, on PostgreSQL, the weighted tsvector of its
title and that document in a GIN-indexed column. SQLite keeps the column
empty and the catalogue searches there as before.
"""

import django.contrib.postgres.search
from django.db import migrations, models

INDEX = "catalogue_version_search_perf"
# As SEARCH_VECTOR_SQL in catalogue/services.py, frozen here.
SEARCH_VECTOR_SQL = (
    "(setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_document), 'B'))"
)


def fill_search_documents(apps, schema_editor):
    """Write the search document of every version already published or withdrawn."""
    Version = apps.get_model("catalogue", "MicroCredentialVersion")
    versions = Version.objects.filter(status__in=["published", "withdrawn"]).select_related(
        "microcredential__organisation"
    )
    for version in versions.iterator():
        parts = [
            version.description,
            version.field_of_study,
            " ".join(str(tag) for tag in version.tags or []),
            " ".join(version.outcomes.order_by("position").values_list("text", flat=True)),
            version.microcredential.organisation.name,
        ]
        version.search_document = "\n".join(part for part in parts if part)
        version.save(update_fields=["search_document"])
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE catalogue_microcredentialversion SET search_vector = {SEARCH_VECTOR_SQL} "
            "WHERE status IN ('published', 'withdrawn')"
        )
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON catalogue_microcredentialversion "
            "USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_draft_workload_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="microcredentialversion",
            name="search_document",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="microcredentialversion",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_search_documents, drop_index),
    ]
