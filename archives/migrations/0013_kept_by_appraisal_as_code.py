"""The history reason an appraisal writes when it keeps a record ("经鉴定 …
继续保存", "Kept by appraisal …") becomes a code worded for each reader, like
the reasons recoded in 0010 (issue 19, item 17)."""

from django.db import migrations

from core.history import MARK
from core.history import reason_converter


def recode(apps, schema_editor):
    convert = reason_converter(["zh-hans", "zh-hant", "en"])
    model = apps.get_model("archives", "HistoricalArchiveRecord")
    rows = (
        model.objects.using(schema_editor.connection.alias)
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .exclude(history_change_reason__startswith=MARK)
        .values_list("history_id", "history_change_reason")
    )
    batch = []
    for history_id, text in rows.iterator(chunk_size=2000):
        coded = convert(text)
        if coded is not None and coded.startswith(MARK + "kept_by_appraisal"):
            batch.append(model(history_id=history_id, history_change_reason=coded))
    model.objects.bulk_update(batch, ["history_change_reason"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("archives", "0012_saved_searches")]

    operations = [migrations.RunPython(recode, migrations.RunPython.noop)]
