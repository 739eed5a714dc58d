"""Counters kept on write, and a speaker's timeline read through an index.

- ``Statement.source_count``, ``Article.statement_count`` and ``Speaker.statement_count``:
  what the lists show, stored so no request counts over a large set.
- ``Statement.speakers`` goes through ``StatementSpeaker``: the table Django made for
  the plain many-to-many field stays (same name, same rows), gaining ``said_on`` and
  ``shown`` (copies of the statement's) and an index (speaker, said_on, statement), so a
  speaker's timeline is one index range scan in date order. Its history table is renamed
  with it and gains the two columns.
- Indexes in the order the article and statement lists are read.

The data step fills every new column from what is stored, with the timeline floor in
settings at the time (``manage.py refresh_counters`` repeats it after the floor changes).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LINKS = "quotes_statement_speakers"


def fill(apps, schema_editor):
    Statement = apps.get_model("quotes", "Statement")
    Article = apps.get_model("quotes", "Article")
    Speaker = apps.get_model("quotes", "Speaker")
    StatementSpeaker = apps.get_model("quotes", "StatementSpeaker")
    Appearance = apps.get_model("quotes", "Appearance")
    sources = (
        Appearance.objects.filter(statement=models.OuterRef("pk")).order_by().values("statement")
        .annotate(n=models.Count("article", distinct=True)).values("n")
    )
    Statement.objects.update(source_count=models.functions.Coalesce(models.Subquery(sources), 0))
    reported = (
        Appearance.objects.filter(article=models.OuterRef("pk")).order_by().values("article")
        .annotate(n=models.Count("statement", distinct=True)).values("n")
    )
    Article.objects.update(statement_count=models.functions.Coalesce(models.Subquery(reported), 0))
    floor = settings.TIMELINE_MIN_CONFIDENCE
    statement = Statement.objects.filter(pk=models.OuterRef("statement_id"))
    shown = statement.filter(
        ~models.Q(review_status="rejected")
        & (models.Q(review_status="verified") | models.Q(confidence__gte=floor))
    )
    StatementSpeaker.objects.update(
        said_on=models.Subquery(statement.values("said_on")[:1]), shown=models.Exists(shown),
    )
    counts = (
        StatementSpeaker.objects.filter(speaker=models.OuterRef("pk"), shown=True).order_by()
        .values("speaker").annotate(n=models.Count("pk")).values("n")
    )
    Speaker.objects.update(statement_count=models.functions.Coalesce(models.Subquery(counts), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0002_trigram_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article", name="statement_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="speaker", name="statement_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="statement", name="source_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="article", index=models.Index(fields=["-published_at", "-id"], name="article_newest_first"),
        ),
        migrations.AddIndex(
            model_name="statement", index=models.Index(fields=["said_on", "id"], name="statement_said_on_id"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE {LINKS} ADD COLUMN said_on date NULL",
                    f"ALTER TABLE {LINKS} DROP COLUMN said_on",
                ),
                migrations.RunSQL(
                    f"ALTER TABLE {LINKS} ADD COLUMN shown boolean NOT NULL DEFAULT true",
                    f"ALTER TABLE {LINKS} DROP COLUMN shown",
                ),
                migrations.RunSQL(
                    f"CREATE INDEX statement_speaker_timeline ON {LINKS} (speaker_id, said_on, statement_id)",
                    "DROP INDEX statement_speaker_timeline",
                ),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="StatementSpeaker",
                    fields=[
                        ("id", models.BigAutoField(
                            auto_created=True, primary_key=True, serialize=False, verbose_name="ID",
                        )),
                        ("said_on", models.DateField(blank=True, null=True)),
                        ("shown", models.BooleanField(default=True)),
                        ("speaker", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="statement_links",
                            to="quotes.speaker",
                        )),
                        ("statement", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="speaker_links",
                            to="quotes.statement",
                        )),
                    ],
                    options={
                        "db_table": LINKS,
                        "unique_together": {("statement", "speaker")},
                        "indexes": [models.Index(
                            fields=["speaker", "said_on", "statement"], name="statement_speaker_timeline",
                        )],
                    },
                ),
                migrations.AlterField(
                    model_name="statement", name="speakers",
                    field=models.ManyToManyField(
                        blank=True, related_name="statements", through="quotes.StatementSpeaker",
                        to="quotes.speaker",
                    ),
                ),
            ],
        ),
        # The history of speakers follows its table's new model name, its rows kept.
        migrations.RenameModel("HistoricalStatement_speakers", "HistoricalStatementSpeaker"),
        migrations.AlterModelOptions(
            name="historicalstatementspeaker", options={"verbose_name": "HistoricalStatementSpeaker"},
        ),
        migrations.AddField(
            model_name="historicalstatementspeaker", name="said_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalstatementspeaker", name="shown", field=models.BooleanField(default=True),
        ),
        *[
            migrations.AlterField(
                model_name="historicalstatementspeaker", name=name,
                field=models.ForeignKey(
                    blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+", to=f"quotes.{name}",
                ),
            )
            for name in ("speaker", "statement")
        ],
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
