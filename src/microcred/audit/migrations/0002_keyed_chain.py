"""Key the audit chain: keep ids of deleted users and organisations, and seal the events
written before the chain was keyed with the audit key."""

import hashlib
import json
from datetime import UTC

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

UNKEYED_GENESIS = "0" * 64


def _unkeyed_hash(previous_hash, event):
    payload = {
        "sequence": event.sequence,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor": event.actor_label,
        "organisation": event.organisation_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


def seal_with_key(apps, schema_editor):
    """Re-chain the existing events with the keyed hash, if their unkeyed chain is intact.

    A chain that is already broken is left as it is, so that ``audit_check`` keeps showing
    the break instead of a sealed chain hiding it.
    """
    from microcred.audit.services import GENESIS_HASH, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = list(AuditEvent.objects.order_by("sequence"))
    previous = UNKEYED_GENESIS
    for number, event in enumerate(events, start=1):
        if (
            event.sequence != number
            or event.previous_hash != previous
            or _unkeyed_hash(previous, event) != event.hash
        ):
            print(f"\n  The audit chain is broken at event #{event.sequence}; it was not sealed.")
            return
        previous = event.hash
    previous = GENESIS_HASH
    for event in events:
        event.previous_hash = previous
        event.hash = event_hash(event)
        event.save(update_fields=["previous_hash", "hash"])
        previous = event.hash


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("organisations", "0002_profile_identifiers_key_compromise_reason"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.RunPython(seal_with_key, migrations.RunPython.noop),
    ]
