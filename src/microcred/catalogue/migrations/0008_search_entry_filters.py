"""The catalogue's language, tag and credit filters move into the narrow search table.

They were applied in Python to every matching version read whole (8 to 10 s for a
tag or a credit range at 100,000 versions); each entry now holds its version's
language codes and tags, lower-cased, one a line, and its ECTS credits, and the
database applies them. Filled here for the entries there are; the services that
publish and withdraw versions keep them in step (catalogue.services._relist).
"""

from django.db import migrations, models

# ECTS credits for a workload without a stated ECTS value: the central 27.5 hours per
# credit (microcred.frameworks.credits), frozen here.
HOURS_PER_ECTS = 27.5
BATCH = 2000


def word_lines(words):
    """As catalogue.services.word_lines, frozen here."""
    return "\n" + "".join(" ".join(str(word).lower().splitlines()) + "\n" for word in words)


def fill_filters(apps, schema_editor):
    """Write each entry's languages, tags and ECTS credits from its version."""
    SearchEntry = apps.get_model("catalogue", "SearchEntry")
    CreditValue = apps.get_model("catalogue", "CreditValue")
    stated = dict(
        CreditValue.objects.filter(system="ECTS").values_list("version_id", "value")
    )
    rows = SearchEntry.objects.values_list(
        "pk", "version__languages", "version__tags", "version__workload_hours"
    ).order_by("pk")
    changed = []
    for pk, languages, tags, hours in rows.iterator(chunk_size=BATCH):
        if pk in stated:
            ects = float(stated[pk])
        else:
            ects = float(hours) / HOURS_PER_ECTS if hours is not None else None
        changed.append(
            SearchEntry(
                pk=pk, languages=word_lines(languages or []), tags=word_lines(tags or []), ects=ects
            )
        )
        if len(changed) == BATCH:
            SearchEntry.objects.bulk_update(changed, ["languages", "tags", "ects"])
            changed = []
    SearchEntry.objects.bulk_update(changed, ["languages", "tags", "ects"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_search_entry"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="ects",
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="languages",
            field=models.TextField(default="\n"),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="tags",
            field=models.TextField(default="\n"),
        ),
        migrations.RunPython(fill_filters, migrations.RunPython.noop),
    ]
