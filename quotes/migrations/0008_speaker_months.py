"""SpeakerMonth: statements a speaker's timeline shows, per month, kept on write (quotes.services.counters).

Filled here from the timeline links (one grouped read); afterwards the services keep it
and ``manage.py refresh_counters`` repairs it.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import TruncMonth


def fill(apps, schema_editor):
    links = apps.get_model("quotes", "StatementSpeaker").objects.filter(shown=True, said_on__isnull=False)
    month = apps.get_model("quotes", "SpeakerMonth")
    counted = (
        links.annotate(month=TruncMonth("said_on")).order_by().values("speaker_id", "month")
        .annotate(n=Count("pk")).values_list("speaker_id", "month", "n").iterator(chunk_size=5000)
    )
    batch = []
    for speaker, first_day, n in counted:
        batch.append(month(speaker_id=speaker, month=first_day, statement_count=n))
        if len(batch) == 5000:
            month.objects.bulk_create(batch)
            batch = []
    month.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('quotes', '0007_feeds'),
    ]

    operations = [
        migrations.CreateModel(
            name='SpeakerMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.')),
                ('statement_count', models.PositiveIntegerField()),
                ('speaker', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='months', to='quotes.speaker')),
            ],
            options={
                'ordering': ['speaker', 'month'],
                'indexes': [models.Index(fields=['month', '-statement_count', 'speaker'], name='speaker_month_most')],
                'constraints': [models.UniqueConstraint(fields=('speaker', 'month'), name='speaker_month_unique'), models.CheckConstraint(condition=models.Q(('month__day', 1)), name='speaker_month_first_day'), models.CheckConstraint(condition=models.Q(('statement_count__gt', 0)), name='speaker_month_not_empty')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
