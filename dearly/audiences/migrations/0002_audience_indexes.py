"""Indexes for segment counts, measured by benchmarks/segments.py at 1,000,000 contacts.

Both let PostgreSQL answer a condition's EXISTS subquery from the index alone (an index-only
scan) instead of visiting the table: "lifecycle + branch + tag + consent" went from a median of
1,140 ms to 540 ms. They live here, not on the contacts models, because segments are what read
them; SQLite uses them the same way.
"""

from django.db import migrations

INDEXES = [
    # "has the tag X" / "any of" / "all of": WHERE tag_id = … giving contact_id
    # (compile.has_tag); the through table's own indexes are (contact_id, tag_id) and (tag_id).
    ("segment_tag_contacts", "contacts_contact_tags", "tag_id, contact_id"),
    # "has granted <channel> <purpose>": WHERE channel, purpose, status = 'granted' giving
    # contact_id (compile._consent).
    ("segment_consent_granted", "contacts_consent", "channel, purpose, status, contact_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("audiences", "0001_initial"),
        ("contacts", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
