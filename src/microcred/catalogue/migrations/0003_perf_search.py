"""Full-text search of the catalogue: the searched text of each version, indexed on PostgreSQL.

The index is an expression index (GIN over the weighted tsvector of the title
and the search document); queries use the same expression, written in
catalogue/services.py (SEARCH_VECTOR_SQL), so that PostgreSQL uses it. SQLite
has no such index: there the catalogue searches as before.
"""

from django.db import migrations, models

INDEX = "catalogue_version_search_perf"
# The same expression as SEARCH_VECTOR_SQL in catalogue/services.py, frozen here.
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


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON catalogue_microcredentialversion "
            f"USING gin ({SEARCH_VECTOR_SQL})"
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
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
