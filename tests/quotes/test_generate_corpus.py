"""`manage.py generate_corpus`: the asked counts, every invariant, real data left alone, one corpus a seed.

Runs on the suite's database: PostgreSQL under `make test` (the COPY path, with
indexes and foreign keys set aside and rebuilt), SQLite under `make test-fast`.
"""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Q

from quotes import corpus
from quotes.models import Appearance, Article, Outlet, Speaker, Statement, StatementSpeaker
from quotes.normalize import content_hash, normalize_text, statement_fingerprint
from quotes.services.counters import shown_condition
from tests.factories import ArticleFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db

N = 2_000


def _generate(*args: str) -> None:
    call_command("generate_corpus", "--statements", str(N), *args, verbosity=0)


def _snapshot() -> list[tuple]:
    """What the corpus says, without the timestamps of the run that made it."""
    statements = Statement.objects.order_by("pk").values_list(
        "pk", "text", "fingerprint", "kind", "said_on", "said_on_precision", "review_status", "confidence",
    )
    articles = Article.objects.order_by("pk").values_list("pk", "url", "published_at", "content_hash")
    speakers = Speaker.objects.order_by("pk").values_list("pk", "name", "slug")
    appearances = Appearance.objects.order_by("pk").values_list("statement_id", "article_id", "start", "end")
    return [*statements, *articles, *speakers, *appearances]


def test_the_asked_counts_with_leaders_and_a_long_tail():
    _generate("--seed", "3")

    shape = corpus.CorpusShape.for_statements(N)
    assert Statement.objects.count() == N
    assert Appearance.objects.count() == shape.appearances == 3_000
    assert Article.objects.count() == shape.articles == 400
    assert Speaker.objects.count() == shape.speakers == 20
    assert Outlet.objects.count() == shape.outlets
    per_speaker = Counter(Statement.speakers.through.objects.values_list("speaker_id", flat=True))
    leaders = Speaker.objects.filter(description__endswith="leader").values_list("pk", flat=True)
    assert 3 <= len(leaders) <= 5
    assert all(per_speaker[pk] >= 0.03 * N for pk in leaders)
    assert sum(per_speaker[pk] for pk in leaders) >= 0.15 * N
    assert max(per_speaker.values()) > 5 * min(per_speaker.values())  # a long tail
    assert Statement.objects.filter(said_on__isnull=True).exists()
    assert set(Statement.objects.values_list("kind", flat=True)) == set(Statement.Kind.values)
    assert set(Statement.objects.values_list("review_status", flat=True)) == set(Statement.Review.values)


def test_every_invariant_holds():
    _generate()

    speakers = {}
    links = Statement.speakers.through.objects.values_list("statement_id", "speaker_id")
    for statement_id, speaker_id in links:
        speakers.setdefault(statement_id, []).append(speaker_id)
    fingerprints = set()
    for s in Statement.objects.all():
        assert s.normalized_text == normalize_text(s.text)
        assert s.fingerprint == statement_fingerprint(s.text, speakers[s.pk])
        assert (s.said_on is None) == (s.said_on_precision == Statement.Precision.UNKNOWN)
        assert 0.3 <= s.confidence <= 0.95
        fingerprints.add(s.fingerprint)
    assert len(fingerprints) == N
    texts = dict(Article.objects.values_list("pk", "text"))
    statement_texts = dict(Statement.objects.values_list("pk", "text"))
    spans = set()
    for a in Appearance.objects.all():
        text = texts[a.article_id]
        assert 0 <= a.start < a.end <= len(text)
        assert text[a.start:a.end] == statement_texts[a.statement_id]  # the offsets point at the words
        assert text[a.source_start:a.source_end] == a.speaker_as_written
        spans.add((a.article_id, a.start, a.end))
    assert len(spans) == Appearance.objects.count()
    for article in Article.objects.all():
        assert article.url.startswith(corpus.HOST)
        assert article.content_hash == content_hash(article.text)
    first = Statement.objects.order_by("pk").first()
    assert first.first_reported_at == min(a.article.published_at for a in first.appearances.all())


def test_counters_and_the_timelines_copies_are_what_they_count():
    _generate()

    for s in Statement.objects.annotate(n=Count("appearances__article", distinct=True)):
        assert s.source_count == s.n
    assert Statement.objects.filter(source_count__gt=1).exists()
    for a in Article.objects.annotate(n=Count("appearances__statement", distinct=True)):
        assert a.statement_count == a.n
    for link in StatementSpeaker.objects.select_related("statement"):
        assert link.said_on == link.statement.said_on
        assert link.shown == Statement.objects.filter(shown_condition(), pk=link.statement_id).exists()
    shown = Count("statement_links", filter=Q(statement_links__shown=True))
    for speaker in Speaker.objects.annotate(n=shown):
        assert speaker.statement_count == speaker.n
    call_command("refresh_counters", "--check", verbosity=0)  # the project's own check agrees


def test_one_seed_one_corpus():
    _generate("--seed", "7")
    first = _snapshot()
    _generate("--seed", "7", "--replace")
    assert _snapshot() == first
    _generate("--seed", "8", "--replace")
    assert _snapshot() != first


def test_a_database_with_a_real_article_is_refused():
    ArticleFactory(url="https://news.example/real")

    with pytest.raises(CommandError, match="real article"):
        _generate("--replace")
    assert Statement.objects.count() == 0


def test_a_statement_no_generated_article_reports_is_refused():
    StatementFactory()

    with pytest.raises(CommandError, match="no generated article reports"):
        _generate("--replace")


def test_a_corpus_is_made_again_only_with_replace_and_other_speakers_stay():
    kept = SpeakerFactory(name="Someone Real")
    _generate()

    with pytest.raises(CommandError, match="--replace"):
        _generate()
    _generate("--replace")
    assert Statement.objects.count() == N
    assert Speaker.objects.filter(pk=kept.pk).exists()
    assert Speaker.objects.count() == corpus.CorpusShape.for_statements(N).speakers + 1


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the limit is for the slow INSERT path")
def test_large_corpora_need_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_corpus", "--statements", "1000000", verbosity=0)
