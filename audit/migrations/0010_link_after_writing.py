"""Entries are written first and linked into the chain a moment later.

``seq`` is an entry's place in the chain; entries already chained keep their
order (``seq`` = id). The PostgreSQL trigger now allows one change: linking
an entry not yet linked, with nothing it says changed. Every other UPDATE and
every DELETE is refused as before.
"""

from django.db import migrations
from django.db import models

FORWARD = """
ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only;
UPDATE audit_auditentry SET seq = id;
ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only;

CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.hash IS NULL AND OLD.seq IS NULL AND OLD.prev_hash IS NULL
        AND NEW.hash IS NOT NULL AND NEW.seq IS NOT NULL
        AND NEW.prev_hash IS NOT NULL
        AND NEW.id = OLD.id
        AND (NEW.at, NEW.actor_id, NEW.actor_name, NEW.department_id,
             NEW.action, NEW.outcome, NEW.target_type, NEW.target_id,
             NEW.target_label, NEW.ip, NEW.path, NEW.details)
            IS NOT DISTINCT FROM
            (OLD.at, OLD.actor_id, OLD.actor_name, OLD.department_id,
             OLD.action, OLD.outcome, OLD.target_type, OLD.target_id,
             OLD.target_label, OLD.ip, OLD.path, OLD.details)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % refused on entry %',
        TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused on entry %',
        TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
    else:
        schema_editor.execute("UPDATE audit_auditentry SET seq = id", params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0009_reclassify")]
    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, unique=True
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
