"""Store each version's country and currency as ISO 3166-1 alpha-2 and ISO 4217 codes in
capitals.

Values that are no code are left as they are and listed, for a person to correct (a draft on
its design page; a published version by a new version): the migration cannot know what was
meant.
"""

import sys

from django.db import migrations

from microcred.frameworks.places import find_country, find_currency, recode


def recode_versions(apps, schema_editor):
    Version = apps.get_model("catalogue", "MicroCredentialVersion")
    rows = Version.objects.using(schema_editor.connection.alias)
    for column, find, standard in (
        ("country", find_country, "ISO 3166-1"),
        ("price_currency", find_currency, "ISO 4217"),
    ):
        mapped, unmapped = recode(rows.values_list(column, flat=True), find)
        for value, code in mapped.items():
            rows.filter(**{column: value}).update(**{column: code})
        for value in unmapped:
            ids = ", ".join(str(pk) for pk in rows.filter(**{column: value}).values_list("pk", flat=True))
            sys.stdout.write(
                f"\n  Version {column} {value!r} is no {standard} code; left as it is in "
                f"versions {ids}"
            )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_draft_workload_optional")]

    operations = [migrations.RunPython(recode_versions, migrations.RunPython.noop)]
