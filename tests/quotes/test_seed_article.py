"""The founding article, through the real pipeline: seed fixtures, the engine, the services.

What a user must find after `make run` (issue 2), checked on the stored records.
"""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

from quotes import jobs
from quotes.models import Article, Speaker, Statement
from quotes.normalize import normalize_text
from quotes.services.articles import EXTRACTION_JOB, article_extract

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Load the fixtures and extract the seed article once for the module.

    The module's rows are committed, so the jobs they queue would reach whatever broker the
    environment names (a filesystem one has no folders under pytest): they are kept here instead.
    """
    sent: list[tuple[str, jobs.JobIds]] = []
    keep = {name: (lambda ids, name=name: sent.append((name, ids))) for name in jobs._senders}
    with django_db_blocker.unblock(), mock.patch.dict(jobs._senders, keep):
        call_command("loaddata", str(FIXTURES / "speakers.json"), verbosity=0)
        call_command("load_seed_articles", verbosity=0)
        article = Article.objects.get()
        assert sent == [(EXTRACTION_JOB, article.pk)], "loading the seed article queues its extraction"
        article_extract(article_id=article.pk)
    yield
    with django_db_blocker.unblock():
        Article.objects.all().delete()
        Statement.objects.all().delete()
        Speaker.objects.all().delete()


def statements_of(name: str) -> list[Statement]:
    return list(Speaker.objects.get(name=name).statements.all())


def find(statements: list[Statement], words: str) -> Statement:
    key = normalize_text(words)
    matches = [s for s in statements if key in s.normalized_text]
    assert matches, f"no statement containing {words!r} in {[s.text for s in statements]}"
    return matches[0]


def test_the_seed_article_is_extracted(seeded):
    article = Article.objects.get()
    assert article.extraction_status == Article.Status.DONE
    assert article.published_at.date() == datetime.date(2025, 2, 9)


def test_kim_jong_un_timeline(seeded):
    kim = statements_of("Kim Jong Un")
    grave = find(kim, "grave challenge to the security environment of our state")
    assert (grave.said_on, grave.said_on_precision) == (datetime.date(2025, 2, 8), "day")
    support = find(kim, "invariably support and encourage the just cause of the Russian army and people")
    assert support.said_on == datetime.date(2025, 2, 8)


def test_trump_timeline(seeded):
    trump = statements_of("Donald Trump")
    relations = find(
        trump,
        "We will have relations with North Korea, with Kim Jong Un. I got along with him very well, "
        "as you know. I think I stopped the war.",
    )
    assert relations.kind == Statement.Kind.DIRECT
    assert find(trump, "I will, yeah").kind == Statement.Kind.DIRECT


def test_joint_statement_is_on_both_timelines(seeded):
    words = "resolute commitment to the complete denuclearization of the DPRK"
    joint = find(statements_of("Donald Trump"), words)
    assert joint == find(statements_of("Shigeru Ishiba"), words)
    assert {s.name for s in joint.speakers.all()} == {"Donald Trump", "Shigeru Ishiba"}


def test_one_speaker_per_person(seeded):
    for surname in ("Kim", "Trump", "Ishiba"):
        speakers = Speaker.objects.filter(statements__isnull=False, name__contains=surname).distinct()
        assert speakers.count() == 1, list(speakers)


def test_no_statement_takes_a_date_the_article_does_not_support(seeded):
    assert not Statement.objects.filter(said_on=datetime.date(2025, 1, 20)).exists()
    assert not Statement.objects.filter(said_on__gt=datetime.date(2025, 2, 9)).exists()
