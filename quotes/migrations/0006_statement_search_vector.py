"""PostgreSQL only: each statement's search document stored, so ``?q=`` never computes it per row.

- ``quotes_statement.search_vector``: a generated column, ``to_tsvector('english',
  COALESCE(text, ''))``, the document migration 0004 indexed as an expression. PostgreSQL
  keeps it equal to the text on every INSERT and UPDATE, so an edit is searchable at once.
  It is not a model field (SQLite, the development database, has no tsvector):
  quotes.selectors reads it with a small expression, and Django never writes it.
- ``statement_search_vector``: a GIN index on it. It replaces ``statement_text_search``:
  a match found through the expression index had its text parsed again to check it and
  to rank it (for a phrase or a common word, tens of thousands of to_tsvector calls).
- ANALYZE, so the planner knows how common each word is (the new column has no
  statistics yet): a common word is read newest first along the primary key, a rare one
  through the GIN index.

Adding a stored column rewrites the table (a million statements: about a minute, with
writes blocked); on SQLite every step does nothing.
"""

from django.db import migrations

DOCUMENT = "to_tsvector('english'::regconfig, COALESCE(text, ''::text))"


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE quotes_statement ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
        )
        schema_editor.execute("CREATE INDEX statement_search_vector ON quotes_statement USING gin (search_vector)")
        schema_editor.execute("DROP INDEX IF EXISTS statement_text_search")
        schema_editor.execute("ANALYZE quotes_statement")


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS statement_text_search ON quotes_statement USING gin ({DOCUMENT})"
        )
        schema_editor.execute("ALTER TABLE quotes_statement DROP COLUMN search_vector")  # and its index


class Migration(migrations.Migration):
    dependencies = [("quotes", "0005_name_lookups")]

    operations = [migrations.RunPython(add_search_vector, drop_search_vector)]
