"""PostgreSQL only: each speaker link carries its statement's search document, so a word on a timeline is an index look-up.

A leader's timeline filtered by a word (``/speakers/<slug>/?q=pension``) used to walk the
leader's link index in date order and read each statement's document until a page matched:
a word common in the table but rare in one record walked that whole record (100,000 links).
Now:

- ``quotes_statement_speakers.search_vector``: a copy of the statement's ``search_vector``
  (migration 0006). Not a model field (SQLite has no tsvector; Django never writes it): the
  database keeps it, as it keeps the original. A BEFORE INSERT (or re-pointing) trigger on
  the links copies it from the statement; an AFTER UPDATE OF text trigger on the statements
  copies a new one to their links. Every write road (services, COPY in generate_corpus,
  the admin) goes through them; nothing else has to remember.
- ``statement_speaker_search``: a GIN index on it. A word common in the record is found by
  walking the speaker's link index in date order and checking each link's own copy (the
  row the walk reads anyway: no statement read for a link that does not match); a rare
  word is the GIN index's few links, intersected with the speaker's. The planner takes
  the cheaper by how common the word is (quotes.selectors.statement_search).
- ANALYZE, so the planner knows the new column's words.

Filling the copy rewrites the link table (1.5 M links: a couple of minutes, with writes
blocked); on SQLite every step does nothing.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE quotes_statement_speakers ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION quotes_link_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_vector := (SELECT search_vector FROM quotes_statement WHERE id = NEW.statement_id);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER link_search_vector BEFORE INSERT OR UPDATE OF statement_id ON quotes_statement_speakers
    FOR EACH ROW EXECUTE FUNCTION quotes_link_search_vector()
    """,
    """
    CREATE FUNCTION quotes_statement_search_vector_links() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE quotes_statement_speakers SET search_vector = NEW.search_vector WHERE statement_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER statement_search_vector_links AFTER UPDATE OF text ON quotes_statement
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text) EXECUTE FUNCTION quotes_statement_search_vector_links()
    """,
    """
    UPDATE quotes_statement_speakers AS link SET search_vector = statement.search_vector
    FROM quotes_statement AS statement WHERE statement.id = link.statement_id
    """,
    "CREATE INDEX statement_speaker_search ON quotes_statement_speakers USING gin (search_vector)",
    "ANALYZE quotes_statement_speakers",
]
BACKWARD = [
    "DROP TRIGGER statement_search_vector_links ON quotes_statement",
    "DROP FUNCTION quotes_statement_search_vector_links()",
    "DROP TRIGGER link_search_vector ON quotes_statement_speakers",
    "DROP FUNCTION quotes_link_search_vector()",
    "ALTER TABLE quotes_statement_speakers DROP COLUMN search_vector",  # and its index
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0013_article_published_known")]

    operations = [migrations.RunPython(forward, backward)]
