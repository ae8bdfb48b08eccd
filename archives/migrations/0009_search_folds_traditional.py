"""Search columns in Simplified characters (issue 19, item 15).

``archives.search.runs`` now folds Traditional characters to Simplified; the
records whose columns held Traditional ones get them folded. Only the
search_text is read for the others, so this costs one pass over the column.
"""

from django.db import migrations

from archives import search


def fold_search(apps, schema_editor):
    Record = apps.get_model("archives", "ArchiveRecord")
    rows = Record.objects.using(schema_editor.connection.alias).only(
        "pk", "search_text"
    )
    batch = []
    for record in rows.iterator(chunk_size=2000):
        folded = " ".join(search.runs(record.search_text))
        if folded == record.search_text:
            continue
        record.search_text = folded
        record.search_grams = search.document_grams(folded)
        batch.append(record)
        if len(batch) == 1000:
            Record.objects.bulk_update(batch, ["search_text", "search_grams"])
            batch = []
    Record.objects.bulk_update(batch, ["search_text", "search_grams"])


class Migration(migrations.Migration):
    dependencies = [("archives", "0008_search_and_keys")]

    operations = [migrations.RunPython(fold_search, migrations.RunPython.noop)]
