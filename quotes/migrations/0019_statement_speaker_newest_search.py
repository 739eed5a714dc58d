"""PostgreSQL only: one speaker's newest matches of a common word are read from an index, not from the links.

``/api/statements/?speaker=<slug>&q=<word>`` ranks the speaker's newest SEARCH_CANDIDATES
matching statements (quotes.selectors.statements_top_ranked()). For a word common in their
record PostgreSQL walked the (statement, speaker) unique index backwards, every speaker's
entries, and read each of this speaker's link rows for its copy of the search document: at
1M statements, a leader and ``q=harbour`` read 26,000 link rows, 30-45 ms.
``statement_speaker_newest_search`` holds, per speaker in statement order, that copy beside
the statement id, so the same walk is an index-only scan of the speaker's own entries: 4 ms.
A word rare in the record still goes through the GIN index (statement_speaker_search).

Building it reads the link table once (1.5M links: a few seconds, 175 MB); on SQLite nothing.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX statement_speaker_newest_search ON quotes_statement_speakers (speaker_id, statement_id) "
            "INCLUDE (search_vector)"
        )
        schema_editor.execute("ANALYZE quotes_statement_speakers")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX statement_speaker_newest_search")


class Migration(migrations.Migration):
    dependencies = [("quotes", "0018_fetch_reason_tls")]

    operations = [migrations.RunPython(forward, backward)]
