"""Owners' phone numbers encrypted, a masked copy kept (SPEC §13).

Existing values are encrypted with ARCHIVE_FIELD_KEY (a missing key stops
the migration with a clear message); history rows keep only the masked copy."""

from django.db import migrations, models

from archives.personal import encrypt
from archives.personal import mask_contact


def encrypt_existing(apps, schema_editor):
    Model = apps.get_model("lending", "OwnerRequest")
    History = apps.get_model("lending", "HistoricalOwnerRequest")
    for row in Model.objects.exclude(phone="").only("pk", "phone").iterator():
        Model.objects.filter(pk=row.pk).update(
            phone_cipher=encrypt(row.phone), phone_masked=mask_contact(row.phone)[:30]
        )
    for row in History.objects.exclude(phone="").only("pk", "phone").iterator():
        History.objects.filter(pk=row.pk).update(
            phone_masked=mask_contact(row.phone)[:30]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0004_owner_list_indexes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="ownerrequest",
            options={
                "ordering": ["-registered_at", "-pk"],
                "permissions": [
                    ("approve_ownerrequest", "Can approve owners' requests"),
                    ("serve_ownerrequest", "Can serve owners in the reading area"),
                    (
                        "reveal_ownerrequest",
                        "Can see owners' full ID numbers and phone numbers",
                    ),
                ],
                "verbose_name": "owner request",
                "verbose_name_plural": "owner requests",
            },
        ),
        migrations.AddField(
            model_name="historicalownerrequest",
            name="phone_masked",
            field=models.CharField(blank=True, max_length=30, verbose_name="phone"),
        ),
        migrations.AddField(
            model_name="ownerrequest",
            name="phone_cipher",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="ownerrequest",
            name="phone_masked",
            field=models.CharField(blank=True, max_length=30, verbose_name="phone"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalownerrequest",
            name="phone",
        ),
        migrations.RemoveField(
            model_name="ownerrequest",
            name="phone",
        ),
    ]
