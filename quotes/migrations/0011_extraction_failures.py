"""Why an extraction failed, in short (the public API's ``extraction_error``), and its timeouts in a row.

Both have a constant default: PostgreSQL adds them without rewriting the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quotes', '0010_cache_table'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='extraction_failure',
            field=models.CharField(blank=True, choices=[('invalid_text', 'Invalid Text'), ('timed_out', 'Timed Out'), ('engine_unavailable', 'Engine Unavailable'), ('error', 'Error')], max_length=20),
        ),
        migrations.AddField(
            model_name='article',
            name='extraction_timeouts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
