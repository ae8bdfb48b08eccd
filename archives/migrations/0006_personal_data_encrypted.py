"""Customers' contact details encrypted, a masked copy kept (SPEC §13).

Existing values are encrypted with ARCHIVE_FIELD_KEY (a missing key stops
the migration with a clear message); history rows keep only the masked copy."""

from django.db import migrations, models

from archives.personal import encrypt
from archives.personal import mask_contact


def encrypt_existing(apps, schema_editor):
    Model = apps.get_model("archives", "Customer")
    History = apps.get_model("archives", "HistoricalCustomer")
    for row in Model.objects.exclude(contact="").only("pk", "contact").iterator():
        Model.objects.filter(pk=row.pk).update(
            contact_cipher=encrypt(row.contact),
            contact_masked=mask_contact(row.contact)[:200],
        )
    for row in History.objects.exclude(contact="").only("pk", "contact").iterator():
        History.objects.filter(pk=row.pk).update(
            contact_masked=mask_contact(row.contact)[:200]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0005_retention_events"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "ordering": ["code"],
                "permissions": [
                    ("reveal_customer", "Can see customers' full contact details")
                ],
                "verbose_name": "customer",
                "verbose_name_plural": "customers",
            },
        ),
        migrations.AddField(
            model_name="customer",
            name="contact_cipher",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="customer",
            name="contact_masked",
            field=models.CharField(blank=True, max_length=200, verbose_name="contact"),
        ),
        migrations.AddField(
            model_name="historicalcustomer",
            name="contact_masked",
            field=models.CharField(blank=True, max_length=200, verbose_name="contact"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="customer",
            name="contact",
        ),
        migrations.RemoveField(
            model_name="historicalcustomer",
            name="contact",
        ),
    ]
