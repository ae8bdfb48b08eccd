"""History reasons as codes (issue 19, item 17).

The reasons the system wrote as text in the writer's language ("已归档为
GT…", "Accepted as GT…") become codes with their values, worded for each
reader when shown (``core.history``). Reasons a person typed stay as typed.
"""

from django.db import migrations

from core.history import MARK
from core.history import reason_converter


def recode(apps, schema_editor):
    convert = reason_converter(["zh-hans", "zh-hant", "en"])
    for label in ("archives.HistoricalArchiveRecord", "archives.HistoricalBox"):
        model = apps.get_model(label)
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
            if coded is not None:
                batch.append(model(history_id=history_id, history_change_reason=coded))
            if len(batch) == 1000:
                model.objects.bulk_update(batch, ["history_change_reason"])
                batch = []
        model.objects.bulk_update(batch, ["history_change_reason"])


class Migration(migrations.Migration):
    dependencies = [("archives", "0009_search_folds_traditional")]

    operations = [migrations.RunPython(recode, migrations.RunPython.noop)]
