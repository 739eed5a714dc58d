"""quotes/services/articles.py: submit, extract, re-extract, fail, queue again."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quotes import extraction
from quotes.errors import DuplicateArticle, InvalidInput, NotFound
from quotes.models import Appearance, Article, Outlet, Speaker, Statement
from quotes.services.articles import (
    article_edit,
    article_extract,
    article_extraction_request,
    article_submit,
    extraction_engine_load,
)
from quotes.services.counters import counters_refresh_all
from quotes.services.statements import statements_verify
from tests.builders import TEXT, attributions
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_engine():
    with mock.patch.object(extraction, "extract", return_value=attributions()) as engine:
        yield engine


@pytest.fixture
def article():
    return article_submit(title="A vote", text=TEXT, published_at=datetime.date(2025, 2, 9))


def test_submit_stores_an_aware_date_and_enqueues_after_commit(django_capture_on_commit_callbacks):
    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        article = article_submit(
            title=" A vote ",
            text=TEXT,
            published_at=datetime.date(2025, 2, 9),
            outlet="Daily",
        )
        delay.assert_not_called()  # nothing is queued before the commit
    assert len(callbacks) == 1
    delay.assert_called_once_with(article.pk)
    article.refresh_from_db()
    assert article.title == "A vote"
    assert article.outlet.name == "Daily"
    assert article.published_at.utcoffset() == datetime.timedelta(0)
    assert article.extraction_status == Article.Status.PENDING


def test_submit_refuses_the_same_text_twice_naming_the_stored_article(article):
    with pytest.raises(DuplicateArticle) as caught:
        article_submit(title="Again", text=TEXT, published_at=datetime.date(2025, 2, 9))
    assert caught.value.details["article_id"] == article.pk
    assert Article.objects.count() == 1


def test_a_new_text_is_inserted_with_no_look_up_first_the_constraint_refuses_a_repeat(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as stored:
        first = article_submit(title="A vote", text="Some text.", published_at=datetime.date(2025, 2, 9))
    reads = [q["sql"] for q in stored.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if "content_hash" in sql]
    with pytest.raises(DuplicateArticle) as caught:
        article_submit(title="Again", text="Some text.", published_at=datetime.date(2025, 2, 9))
    assert caught.value.details["article_id"] == first.pk


def test_a_refused_duplicate_leaves_the_callers_transaction_as_it_was(article):
    with transaction.atomic():  # as the admin's view wraps its save
        with pytest.raises(DuplicateArticle) as caught:
            article_submit(title="Again", text=TEXT, published_at=datetime.date(2025, 2, 9),
                           outlet="Brand new outlet")
        assert caught.value.details["article_id"] == article.pk
        assert list(Article.objects.values_list("pk", flat=True)) == [article.pk]  # still usable
        assert not Outlet.objects.filter(name="Brand new outlet").exists()


def test_an_integrity_error_that_is_no_duplicate_is_not_reported_as_one():
    with mock.patch.object(Article.objects, "create", side_effect=IntegrityError("not null")), \
            pytest.raises(IntegrityError):
        article_submit(title="T", text="Some text.", published_at=datetime.date(2025, 2, 9))


@pytest.mark.parametrize("field, value", [("text", "   "), ("title", ""), ("text", "x" * 200_001)])
def test_submit_refuses_bad_input(field, value):
    values = {"title": "T", "text": "Some text.", "published_at": datetime.date(2025, 2, 9), field: value}
    with pytest.raises(InvalidInput):
        article_submit(**values)
    assert not Article.objects.exists()


def test_extract_stores_statements_speakers_dates_and_provenance(article, fake_engine):
    article_extract(article_id=article.pk)

    article.refresh_from_db()
    assert article.extraction_status == Article.Status.DONE
    assert article.extractor_version == extraction.ENGINE_VERSION
    quote = Statement.objects.get(kind=Statement.Kind.DIRECT)
    assert quote.text == "We will win the vote"  # the comma belongs to the reporting sentence
    assert [s.name for s in quote.speakers.all()] == ["Jane Doe"]
    assert (quote.said_on, quote.said_on_precision) == (datetime.date(2025, 2, 8), "day")
    assert quote.first_reported_at == article.published_at
    appearance = quote.appearances.get()
    assert article.text[appearance.start : appearance.end] == "We will win the vote,"
    assert (appearance.speaker_as_written, appearance.cue) == ("Jane Doe", "said")
    assert appearance.extractor_version == extraction.ENGINE_VERSION
    indirect = Statement.objects.get(kind=Statement.Kind.INDIRECT)
    assert (indirect.said_on, indirect.said_on_precision) == (None, "unknown")
    assert Speaker.objects.get(name="Richard Roe").reviewed is False  # unknown names wait for review


def test_extract_twice_gives_the_same_rows(article, fake_engine):
    article_extract(article_id=article.pk)
    first = sorted(Appearance.objects.values_list("statement__fingerprint", "start", "end"))
    article_extract(article_id=article.pk)
    assert sorted(Appearance.objects.values_list("statement__fingerprint", "start", "end")) == first
    assert Statement.objects.count() == 2
    assert Speaker.objects.count() == 2


def test_reextraction_never_touches_a_verified_statement(article, fake_engine):
    article_extract(article_id=article.pk)
    verified = Statement.objects.get(kind=Statement.Kind.DIRECT)
    statements_verify(statement_ids=[verified.pk], user=StaffFactory())
    Statement.objects.filter(pk=verified.pk).update(text="We will win the vote (as checked).")

    fake_engine.return_value = ()  # the engine now finds nothing at all
    article_extract(article_id=article.pk)

    verified.refresh_from_db()
    assert verified.text == "We will win the vote (as checked)."
    assert verified.review_status == Statement.Review.VERIFIED
    assert verified.appearances.count() == 1
    assert not Statement.objects.filter(kind=Statement.Kind.INDIRECT).exists()  # machine-made, gone

    fake_engine.return_value = attributions()
    article_extract(article_id=article.pk)
    assert Statement.objects.filter(kind=Statement.Kind.DIRECT).count() == 1
    assert verified.appearances.count() == 1


def test_engine_error_marks_failed_and_keeps_earlier_statements(article, fake_engine):
    article_extract(article_id=article.pk)
    fake_engine.side_effect = extraction.ExtractionError("cannot read this")
    article_extract(article_id=article.pk)
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.FAILED
    assert "cannot read this" in article.extraction_error
    assert Statement.objects.count() == 2


def test_extract_of_a_missing_article_is_not_found():
    with pytest.raises(NotFound):
        article_extract(article_id=987654)


def test_extraction_request_marks_pending_and_requeues(article, django_capture_on_commit_callbacks):
    Article.objects.filter(pk=article.pk).update(
        extraction_status=Article.Status.FAILED, extraction_error="x"
    )
    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert article_extraction_request(article_ids=[article.pk]) == 1
    delay.assert_called_once_with(article.pk)
    article.refresh_from_db()
    assert (article.extraction_status, article.extraction_error) == (Article.Status.PENDING, "")


def test_a_broker_outage_leaves_the_article_pending(django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    with (
        mock.patch("quotes.tasks.extract_article.delay", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = article_submit(title="T", text="Body.", published_at=datetime.date(2025, 2, 9))
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING


def test_extraction_request_ignores_unknown_ids(django_capture_on_commit_callbacks):
    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert article_extraction_request(article_ids=[424242]) == 0
    delay.assert_not_called()


def test_loading_the_engine_runs_it_once_and_names_an_engine_that_cannot_run():
    from quotes.errors import ExtractionUnavailable

    with mock.patch("quotes.services.articles.extraction.extract", return_value=()) as engine:
        extraction_engine_load()
    engine.assert_called_once()
    missing = extraction.EngineUnavailable("cannot load spaCy model")
    with (
        mock.patch("quotes.services.articles.extraction.extract", side_effect=missing),
        pytest.raises(ExtractionUnavailable, match="cannot load spaCy model"),
    ):
        extraction_engine_load()


def _days_from_now(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.mark.parametrize("published_at", [
    datetime.date(1800, 1, 1), datetime.date(1999, 12, 31), "in two days",
])
def test_publication_dates_from_1800_to_two_days_ahead_are_stored(db, published_at):
    if published_at == "in two days":
        published_at = _days_from_now(2) - datetime.timedelta(minutes=1)
    article = article_submit(title="T", text=f"Words of {published_at}.", published_at=published_at)
    assert article.published_at.date() == getattr(published_at, "date", lambda: published_at)()


@pytest.mark.parametrize("published_at", [
    datetime.date.min, datetime.date(1799, 12, 31), datetime.date.max, "in three days",
    datetime.datetime(1, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),  # before year 1 in UTC
])
def test_publication_dates_outside_are_refused_naming_the_field(db, published_at):
    if published_at == "in three days":
        published_at = _days_from_now(3)
    with pytest.raises(InvalidInput) as caught:
        article_submit(title="T", text="Some words.", published_at=published_at)
    assert "from 1800" in caught.value.details["errors"]["published_at"][0]
    assert not Article.objects.exists()


def test_an_edit_cannot_move_the_publication_date_out_of_bounds(db):
    article = article_submit(title="T", text="Some words.", published_at=datetime.date(2025, 2, 9))
    article.published_at = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
    with pytest.raises(InvalidInput):
        article_edit(article=article, fields=["published_at"])
    article.refresh_from_db()
    assert article.published_at.date() == datetime.date(2025, 2, 9)


@pytest.mark.django_db(transaction=True)
def test_the_extractions_commits_alone_skip_the_wait_for_the_disk(fake_engine, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's synchronous_commit")
    from quotes.services import articles

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    article = ArticleFactory(text=TEXT)
    seen = []
    store = articles.statements_replace_auto
    monkeypatch.setattr(
        articles, "statements_replace_auto", lambda **kw: (seen.append(setting()), store(**kw)),
    )
    marked = []

    def watch(execute, sql, params, many, context):  # the "running" mark's transaction
        result = execute(sql, params, many, context)
        if sql.startswith('UPDATE "quotes_article"') and "running" in map(str, params or ()):
            marked.append(setting())
        return result

    before = setting()
    with connection.execute_wrapper(watch):
        article_extract(article_id=article.pk)
    assert (seen, marked) == (["off"], ["off"])
    assert setting() == before != "off"  # SET LOCAL: the connection's other transactions wait for the disk
    assert Appearance.objects.filter(article=article).count() == 2
    with transaction.atomic():  # inside a caller's transaction, the caller's commit is left alone
        article_extract(article_id=article.pk)
        assert setting() == before
    assert seen == ["off", before]


SATURDAY = '"We will reopen the north quay before winter," harbour master Ines Kowalczyk said on Saturday.\n'


@pytest.mark.parametrize(("known", "said_on"), [(True, datetime.date(2024, 3, 9)), (False, None)])
def test_relative_dates_are_resolved_only_against_a_known_publication_date(known, said_on):
    # "on Saturday" in an article whose date was not found stays unresolved, as with no date at all.
    article = ArticleFactory(text=SATURDAY, extraction_status=Article.Status.PENDING,
                             published_at=datetime.datetime(2024, 3, 14, 9, 0, tzinfo=datetime.UTC),
                             published_known=known)
    article_extract(article_id=article.pk)
    statement = Statement.objects.get(appearances__article=article)
    assert statement.said_on == said_on
    assert statement.said_on_precision == (Statement.Precision.DAY if known else Statement.Precision.UNKNOWN)


def test_a_date_a_person_gives_is_known():
    article = ArticleFactory(published_known=False)
    article.published_at = datetime.date(2024, 3, 14)
    article_edit(article=article, fields=["published_at"])
    article.refresh_from_db()
    assert (article.published_at.date(), article.published_known) == (datetime.date(2024, 3, 14), True)


def test_an_article_whose_date_was_not_found_is_no_first_report_of_its_words():
    # Its published_at is when it came in: the words' first report is the dated article's.
    came_in = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    undated = ArticleFactory(text=SATURDAY, extraction_status=Article.Status.PENDING,
                             published_at=came_in, published_known=False)
    article_extract(article_id=undated.pk)
    statement = Statement.objects.get(appearances__article=undated)
    assert statement.first_reported_at is None
    dated = ArticleFactory(text=f"Harbour news.\n{SATURDAY}", extraction_status=Article.Status.PENDING,
                           published_at=datetime.datetime(2024, 3, 14, 9, 0, tzinfo=datetime.UTC))
    article_extract(article_id=dated.pk)
    statement.refresh_from_db()
    assert set(statement.appearances.values_list("article_id", flat=True)) == {undated.pk, dated.pk}
    assert (statement.first_reported_at, statement.said_on) == (dated.published_at, datetime.date(2024, 3, 9))
    counters_refresh_all()  # the repair command's recount agrees
    statement.refresh_from_db()
    assert statement.first_reported_at == dated.published_at


@pytest.mark.parametrize(("known", "who"), [(True, ["Bo Late"]), (False, [])])
def test_a_role_is_matched_on_the_articles_date_only_when_it_is_known(known, who):
    # Two people held the office; an article whose date was not found cannot say which one spoke.
    from quotes.models import SpeakerAlias
    from quotes.services.speakers import speaker_alias_add
    from tests.factories import SpeakerFactory

    early, late = SpeakerFactory(name="Ann Early"), SpeakerFactory(name="Bo Late")
    for person, start, end in ((early, datetime.date(2020, 1, 1), datetime.date(2022, 12, 31)),
                               (late, datetime.date(2023, 1, 1), None)):
        speaker_alias_add(speaker=person, name="the Ruritanian chancellor",
                          kind=SpeakerAlias.Kind.ROLE_PHRASE, valid_from=start, valid_to=end)
    article = ArticleFactory(
        text='"We will keep the border open all winter," the Ruritanian chancellor said.\n',
        extraction_status=Article.Status.PENDING, published_known=known,
        published_at=datetime.datetime(2024, 3, 14, 9, 0, tzinfo=datetime.UTC),
    )
    article_extract(article_id=article.pk)
    appearance = Appearance.objects.get(article=article)
    assert [s.name for s in appearance.statement.speakers.all()] == who
    if not known:  # left to a reviewer: both holders are the candidates
        assert {s.name for s in appearance.speaker_candidates.all()} == {"Ann Early", "Bo Late"}
