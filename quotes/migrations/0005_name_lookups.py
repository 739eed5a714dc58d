"""Indexes for matching printed names: a speaker's name case-blind, a role by its title's first word.

``speaker_name_lower`` serves ``lower(name) IN (...)`` on every database. The
role look-up is ``lower(title) LIKE 'word%'``: on PostgreSQL a ``text_pattern_ops``
index serves that prefix match (the default collation's btree does not); SQLite
needs nothing (its roles table is a development one).
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def create_role_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS role_title_lower_prefix ON quotes_role (lower(title) text_pattern_ops)"
        )


def drop_role_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS role_title_lower_prefix")


class Migration(migrations.Migration):
    dependencies = [("quotes", "0004_statement_search")]

    operations = [
        migrations.AddIndex(
            model_name="speaker", index=models.Index(Lower("name"), name="speaker_name_lower"),
        ),
        migrations.RunPython(create_role_index, drop_role_index),
    ]
