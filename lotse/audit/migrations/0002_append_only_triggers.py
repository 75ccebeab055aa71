"""On PostgreSQL the database itself refuses UPDATE and DELETE on audit events and any rewind
or removal of a chain head, whoever sends the statement. SQLite relies on the hash chain."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION lotse_audit_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION lotse_audit_event_immutable();

CREATE OR REPLACE FUNCTION lotse_audit_chain_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_auditchain heads cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.key <> OLD.key OR NEW.last_seq <> OLD.last_seq + 1 THEN
        RAISE EXCEPTION 'audit_auditchain heads only move forward by one'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_chain_forward_only
    BEFORE UPDATE OR DELETE ON audit_auditchain
    FOR EACH ROW EXECUTE FUNCTION lotse_audit_chain_forward_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_chain_forward_only ON audit_auditchain;
DROP FUNCTION IF EXISTS lotse_audit_chain_forward_only();
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS lotse_audit_event_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
