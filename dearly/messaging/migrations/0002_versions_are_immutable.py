"""The database itself refuses to change a saved version's content.

Only created_by may change (to NULL, when the author's account is deleted); every column a
recipient could see, or that decides who receives what, is frozen.
"""

from django.db import migrations

FROZEN = (
    "template_id, number, subject, preheader, html_source, text_source, fallbacks, "
    "missing_data_policy, created_at"
)
MESSAGE = "template versions are immutable: save a new version instead"

SQLITE_UP = [
    f"""CREATE TRIGGER messaging_version_immutable
    BEFORE UPDATE OF {FROZEN} ON messaging_templateversion
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS messaging_version_immutable"]

POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION messaging_version_immutable() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER messaging_version_immutable
    BEFORE UPDATE OF {FROZEN} ON messaging_templateversion
    FOR EACH ROW EXECUTE FUNCTION messaging_version_immutable()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS messaging_version_immutable ON messaging_templateversion",
    "DROP FUNCTION IF EXISTS messaging_version_immutable()",
]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for sql in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
