"""No N+1: a page of a list costs the same number of queries however many rows it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    RoleFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
)


def grow(n):
    """Add ``n`` statements, each with two speakers (with roles and aliases) and two appearances."""
    for _ in range(n):
        speakers = [SpeakerFactory(), SpeakerFactory()]
        for speaker in speakers:
            RoleFactory(speaker=speaker, start=datetime.date(2000, 1, 1))
            SpeakerAliasFactory(speaker=speaker)
        first = AppearanceFactory(statement__speakers=speakers)
        AppearanceFactory(statement=first.statement, article=ArticleFactory(outlet=None))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/api/statements/", "/api/speakers/", "/api/articles/"])
def test_list_query_count_is_constant(api_client, db, url):
    grow(2)
    few = count_queries(api_client, url)
    grow(10)
    many = count_queries(api_client, url)

    assert many == few
    assert many <= 6


def test_article_detail_query_count_is_constant(api_client, db):
    article = ArticleFactory()
    AppearanceFactory(article=article, start=0, end=5, statement__speakers=[SpeakerFactory()])
    few = count_queries(api_client, f"/api/articles/{article.pk}/")
    for start in range(10, 60, 5):
        AppearanceFactory(article=article, start=start, end=start + 3, statement__speakers=[SpeakerFactory()])
    many = count_queries(api_client, f"/api/articles/{article.pk}/")

    assert many == few


def test_statement_list_stays_under_a_fixed_budget(api_client, db, django_assert_max_num_queries):
    grow(15)
    # count, the page, speakers, their roles, appearances (with article and outlet)
    with django_assert_max_num_queries(5):
        response = api_client.get("/api/statements/")
    assert len(response.json()["results"]) == 15


def grow_for(speaker, n):
    """``n`` statements by ``speaker`` and one other speaker (with a role), each with two sources."""
    for _ in range(n):
        other = SpeakerFactory()
        RoleFactory(speaker=other, start=datetime.date(2000, 1, 1))
        text = f"Pensions rise {other.slug}."
        first = AppearanceFactory(statement__speakers=[speaker, other], statement__text=text)
        AppearanceFactory(statement=first.statement, article=ArticleFactory(outlet=None))


@pytest.mark.parametrize("query", [
    "?speaker=the-one", "?q=pensions", "?ordering=-first_reported", "?kind=direct&min_confidence=0.5",
    "?speaker=the-one&ordering=-said_on&page_size=50", "?speaker=the-one&q=pensions",
])
def test_filtered_statement_lists_cost_the_same_queries_at_any_size(api_client, db, query):
    speaker = SpeakerFactory(slug="the-one")
    grow_for(speaker, 2)
    count_queries(api_client, f"/api/statements/{query}")  # ?q=: PostgreSQL's stop-word check, once per text
    few = count_queries(api_client, f"/api/statements/{query}")
    grow_for(speaker, 12)
    many = count_queries(api_client, f"/api/statements/{query}")

    assert many == few
    # One speaker narrowed by words the database does not rank (SQLite): a bounded walk, one query
    # more for the end of its window (quotes.keyset.Walk).
    assert many <= (7 if "speaker" in query and "q=" in query else 6)
    assert len(api_client.get(f"/api/statements/{query}").json()["results"]) >= 14
