"""PostgreSQL only: pg_trgm and a trigram index for near-duplicate statements.

On SQLite (the embedded development database) both steps do nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS statement_normalized_trgm "
            "ON quotes_statement USING gin (normalized_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS statement_normalized_trgm")


class Migration(migrations.Migration):
    dependencies = [("quotes", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
