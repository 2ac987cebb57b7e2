"""Existing accounts keep signing in now that an address must be verified first: the
addresses their operators gave them are recorded as verified and primary."""

from django.db import migrations


def record_verified_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    addresses = []
    for user in User.objects.exclude(email="").order_by("pk").iterator():
        email = user.email.lower()
        # Two old accounts whose addresses differ only in case: the older one keeps it.
        if email in taken:
            continue
        taken.add(email)
        addresses.append(EmailAddress(user=user, email=email, verified=True, primary=True))
    EmailAddress.objects.bulk_create(addresses, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(record_verified_addresses, migrations.RunPython.noop)]
