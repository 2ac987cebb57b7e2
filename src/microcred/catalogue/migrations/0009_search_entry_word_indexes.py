"""Trigram indexes of the search entries' languages and tags, on PostgreSQL.

A tag or language filter is a LIKE on these columns (``"%\\ntag\\n%"``, see
catalogue.services.word_lines), which no B-tree serves: every filtered page and its
count read all the entries, 68 ms a page for a tag at 100,000 listed versions. A
trigram GIN index (pg_trgm, a trusted extension since PostgreSQL 13, so the
database's owner may create it) finds the entries whose words hold the tag's. Other
databases keep scanning, as the demo's few rows cost nothing.
"""

from django.db import migrations

INDEXES = {"catalogue_search_languages": "languages", "catalogue_search_tags": "tags"}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX {name} ON catalogue_searchentry USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_search_entry_filters")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
