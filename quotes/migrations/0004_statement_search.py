"""Indexes the lists are paged in, and full-text search on PostgreSQL.

- speaker_by_name, statement_first_reported_id, article_status_newest_first,
  duplicate_by_similarity: each list's order (quotes.keyset), read as a range.
- statement_speaker_hidden: the links a timeline hides (a partial index, small).
- PostgreSQL only: a GIN index on ``to_tsvector('english', COALESCE(text, ''))``, the
  very expression django.contrib.postgres's SearchVector("text", config="english")
  writes (quotes.selectors.statement_search), so ``?q=`` is an index lookup. On SQLite
  (the embedded development database) that step does nothing.
"""

from django.conf import settings
from django.db import migrations, models


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS statement_text_search ON quotes_statement "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS statement_text_search")


class Migration(migrations.Migration):

    dependencies = [
        ('quotes', '0003_counters_and_speaker_timeline'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['extraction_status', '-published_at', '-id'], name='article_status_newest_first'),
        ),
        migrations.AddIndex(
            model_name='duplicatecandidate',
            index=models.Index(fields=['status', 'similarity', 'id'], name='duplicate_by_similarity'),
        ),
        migrations.AddIndex(
            model_name='speaker',
            index=models.Index(fields=['name', 'id'], name='speaker_by_name'),
        ),
        migrations.AddIndex(
            model_name='statement',
            index=models.Index(fields=['first_reported_at', 'id'], name='statement_first_reported_id'),
        ),
        migrations.AddIndex(
            model_name='statementspeaker',
            index=models.Index(condition=models.Q(('shown', False)), fields=['speaker'], name='statement_speaker_hidden'),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
