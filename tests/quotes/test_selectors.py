"""Selectors: the reads every interface starts from, each at a fixed number of queries."""

import pytest

from quotes import selectors
from quotes.models import DuplicateCandidate
from tests.factories import AppearanceFactory, ArticleFactory, RoleFactory, SpeakerFactory, StatementFactory

pytestmark = pytest.mark.django_db


def _pair(similarity: float, status=DuplicateCandidate.Status.OPEN) -> DuplicateCandidate:
    first, second = StatementFactory(), StatementFactory()
    first.speakers.set([SpeakerFactory(name="Zed Alder"), SpeakerFactory(name="Ann Birch")])
    second.speakers.set([SpeakerFactory()])
    return DuplicateCandidate.objects.create(first=first, second=second, similarity=similarity, status=status)


def test_duplicate_pairs_come_most_similar_first_with_speakers_in_three_queries(django_assert_num_queries):
    low, high = _pair(0.7), _pair(0.95)
    for _ in range(3):
        _pair(0.8)
    with django_assert_num_queries(3):  # pairs with both statements, then each side's speakers
        pairs = list(selectors.duplicate_candidate_list())
        names = [[s.name for s in p.first.speakers.all()] for p in pairs]
    assert [pairs[0].pk, pairs[-1].pk] == [high.pk, low.pk]
    assert names[0] == ["Ann Birch", "Zed Alder"]  # by name


def test_open_pairs_are_counted_for_either_side_of_a_pair():
    pair = _pair(0.9)
    DuplicateCandidate.objects.create(
        first=pair.first, second=StatementFactory(), similarity=0.8,
        status=DuplicateCandidate.Status.DISMISSED,
    )
    assert selectors.duplicate_candidates_open_count(statement_id=pair.first_id) == 1
    assert selectors.duplicate_candidates_open_count(statement_id=pair.second_id) == 1
    assert selectors.duplicate_candidates_open_count(statement_id=StatementFactory().pk) == 0


def test_statements_with_roles_read_each_speakers_role_without_more_queries(django_assert_num_queries):
    article = ArticleFactory()
    for i in range(4):
        speaker = SpeakerFactory()
        RoleFactory(speaker=speaker)
        statement = StatementFactory()
        statement.speakers.set([speaker])
        AppearanceFactory(statement=statement, article=article, start=10 * i, end=10 * i + 5)
    with django_assert_num_queries(4):  # statements, speakers, their roles, appearances with articles
        rows = list(selectors.statement_list(with_roles=True))
        roles = [r for st in rows for sp in st.speakers.all() for r in sp.roles.all()]
    assert len(rows) == 4 and len(roles) == 4


def test_an_articles_statements_are_those_it_reports():
    article, other = ArticleFactory(), ArticleFactory()
    mine = AppearanceFactory(article=article).statement
    AppearanceFactory(article=other)
    assert [s.pk for s in selectors.article_statements(article=article)] == [mine.pk]


def test_bulk_lookups_leave_out_what_does_not_exist():
    statement, speaker = StatementFactory(), SpeakerFactory()
    assert set(selectors.statements_in_bulk(ids=[statement.pk, 10**9])) == {statement.pk}
    assert set(selectors.speakers_in_bulk(slugs=[speaker.slug, "nobody"])) == {speaker.slug}
