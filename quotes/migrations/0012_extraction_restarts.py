"""Extractions left running by a stopped worker, in a row (the sweep's cap), and their failure ``worker_lost``.

A constant default: PostgreSQL adds the column without rewriting the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quotes', '0011_extraction_failures'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='extraction_restarts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='article',
            name='extraction_failure',
            field=models.CharField(blank=True, choices=[('invalid_text', 'Invalid Text'), ('timed_out', 'Timed Out'), ('worker_lost', 'Worker Lost'), ('engine_unavailable', 'Engine Unavailable'), ('error', 'Error')], max_length=20),
        ),
    ]
