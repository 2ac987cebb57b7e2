"""Store each organisation's country as its ISO 3166-1 alpha-2 code in capitals.

Values that are no country's code are left as they are and listed, for a person to correct on
the profile page: the migration cannot know which country was meant.
"""

import sys

from django.db import migrations

from microcred.frameworks.places import find_country, recode


def recode_countries(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    rows = Organisation.objects.using(schema_editor.connection.alias)
    mapped, unmapped = recode(rows.values_list("country", flat=True), find_country)
    for value, code in mapped.items():
        rows.filter(country=value).update(country=code)
    for value in unmapped:
        slugs = ", ".join(rows.filter(country=value).values_list("slug", flat=True))
        sys.stdout.write(
            f"\n  Organisation country {value!r} is no ISO 3166-1 code; left as it is: {slugs}"
        )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_profile_identifiers_key_compromise_reason")]

    operations = [migrations.RunPython(recode_countries, migrations.RunPython.noop)]
