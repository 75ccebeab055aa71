"""PostgreSQL: row triggers do not fire on TRUNCATE, so a statement trigger refuses it on both
audit tables. Only a database whose administrators set ``lotse.allow_audit_truncate = on`` for
it (the throw-away test database, which is emptied between browser tests) can truncate them."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION lotse_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('lotse.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit tables cannot be truncated'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION lotse_audit_no_truncate();

CREATE TRIGGER audit_chain_no_truncate
    BEFORE TRUNCATE ON audit_auditchain
    FOR EACH STATEMENT EXECUTE FUNCTION lotse_audit_no_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_chain_no_truncate ON audit_auditchain;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS lotse_audit_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forward, backward)]
