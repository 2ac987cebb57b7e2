"""The catalogue search's narrow table: one row per listed version, GIN-indexed on PostgreSQL.

A search tested its words against the wide rows of the versions table; these
rows hold only the tsvector, the title it orders by and the filters the
database applies. Filled here for the versions already listed; the services
that publish and withdraw versions keep it in step.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

INDEX = "catalogue_search_vector"
# The versions' own GIN index (0003_perf_search), which no search reads any more.
VERSIONS_INDEX = "catalogue_version_search_perf"
# The latest published version of each micro-credential (as catalogue.services
# _latest_published), with what its search entry holds; frozen here.
LISTED_SQL = """
    INSERT INTO catalogue_searchentry (version_id, organisation_id, eqf_level, title, vector)
    SELECT version.id, credential.organisation_id, version.eqf_level, version.title, {vector}
    FROM catalogue_microcredentialversion version
    JOIN catalogue_microcredential credential ON credential.id = version.microcredential_id
    WHERE version.status = 'published' AND NOT EXISTS (
        SELECT 1 FROM catalogue_microcredentialversion newer
        WHERE newer.microcredential_id = version.microcredential_id
        AND newer.status = 'published' AND newer.number > version.number
    )
"""


def fill_search_entries(apps, schema_editor):
    """List every version the catalogue lists now; on PostgreSQL, index the entries' vectors
    instead of the versions'."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(LISTED_SQL.format(vector="version.search_vector" if postgresql else "NULL"))
    if postgresql:
        schema_editor.execute(f"CREATE INDEX {INDEX} ON catalogue_searchentry USING gin (vector)")
        schema_editor.execute(f"DROP INDEX IF EXISTS {VERSIONS_INDEX}")
        # The planner's statistics of the filled table at once, not at autovacuum's next pass.
        schema_editor.execute("ANALYZE catalogue_searchentry")


def restore_versions_index(apps, schema_editor):
    """Index the versions' vectors again (the entries' index goes with their table)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {VERSIONS_INDEX} ON catalogue_microcredentialversion "
            "USING gin (search_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_merge_title_order_and_enrolment_flag"),
        ("organisations", "0005_invitation"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "version",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="catalogue.microcredentialversion",
                    ),
                ),
                ("eqf_level", models.PositiveSmallIntegerField(null=True)),
                ("title", models.CharField(max_length=300)),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["title", "version"], name="catalogue_search_by_title")
                ],
            },
        ),
        migrations.RunPython(fill_search_entries, restore_versions_index),
    ]
