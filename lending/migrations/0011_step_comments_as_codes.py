"""The comment the system writes on a request's archivist step ("找到档案：
GT…", "Records found: GT…") becomes a code with its values, worded for each
reader when shown (``core.history``; issue 19, item 17). Comments people
typed stay as typed.
"""

from django.db import migrations

from core.history import MARK
from core.history import reason_converter


def recode(apps, schema_editor):
    convert = reason_converter(["zh-hans", "zh-hant", "en"], length=None)
    ApprovalStep = apps.get_model("lending", "ApprovalStep")
    steps = (
        ApprovalStep.objects.using(schema_editor.connection.alias)
        .filter(comment__isnull=False)
        .exclude(comment="")
        .exclude(comment__startswith=MARK)
        .values_list("pk", "comment")
    )
    batch = []
    for pk, text in steps.iterator(chunk_size=2000):
        coded = convert(text)
        if coded is not None and coded.startswith(MARK + "records_found"):
            batch.append(ApprovalStep(pk=pk, comment=coded))
    ApprovalStep.objects.bulk_update(batch, ["comment"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("lending", "0010_request_description")]

    operations = [migrations.RunPython(recode, migrations.RunPython.noop)]
