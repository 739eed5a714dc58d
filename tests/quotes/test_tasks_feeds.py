"""The fetch and feed tasks: one service call, a busy host tried again later, failures recorded."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from quotes.fetching import HostBusy
from quotes.models import Article
from quotes.services.articles import article_submit_url
from quotes.services.feeds import feed_add
from quotes.tasks import fetch_article, poll_due_feeds, poll_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def fetching_article():
    with mock.patch("quotes.tasks.fetch_article.delay"):
        return article_submit_url(url="https://ledger.example/news/7")


def test_the_fetch_task_runs_the_service_with_the_id():
    with mock.patch("quotes.tasks.article_fetch") as service:
        fetch_article.apply(args=[42])
    service.assert_called_once_with(article_id=42)


def test_a_busy_host_is_tried_again_later_and_the_article_stays_fetching(fetching_article):
    with (
        mock.patch("quotes.tasks.article_fetch", side_effect=HostBusy("busy")),
        mock.patch("quotes.tasks.fetch_article.apply_async") as again,
    ):
        result = fetch_article.apply(args=[fetching_article.pk])
    assert result.successful()
    again.assert_called_once_with(args=[fetching_article.pk], countdown=5)
    fetching_article.refresh_from_db()
    assert fetching_article.extraction_status == Article.Status.FETCHING


def test_a_fetch_that_keeps_failing_is_recorded_on_the_article(fetching_article):
    with mock.patch("quotes.tasks.article_fetch", side_effect=OperationalError("gone")) as svc:
        result = fetch_article.apply(args=[fetching_article.pk])
    assert svc.call_count == 1 + fetch_article.max_retries and result.failed()
    fetching_article.refresh_from_db()
    assert fetching_article.extraction_status == Article.Status.FAILED
    assert "OperationalError: gone" in fetching_article.extraction_error


def test_a_poll_of_a_deleted_feed_does_nothing():
    assert poll_feed.apply(args=[999_999]).get() == 0


def test_the_round_queues_due_feeds_and_stale_fetches(fetching_article, django_capture_on_commit_callbacks):
    feed = feed_add(url="https://ledger.example/rss")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Article.objects.filter(pk=fetching_article.pk).update(updated_at=an_hour_ago)
    with (
        mock.patch("quotes.tasks.poll_feed.delay") as poll,
        mock.patch("quotes.tasks.fetch_article.delay") as fetch,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert poll_due_feeds.apply().get() == [feed.pk]
    poll.assert_called_once_with(feed.pk)
    fetch.assert_called_once_with(fetching_article.pk)


def test_beat_sends_the_feed_round(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["poll-due-feeds"]
    assert entry["task"] == poll_due_feeds.name
    assert entry["schedule"] == float(settings.FEEDS_POLL_EVERY)


def test_a_refusing_broker_leaves_the_article_fetching(django_capture_on_commit_callbacks, caplog):
    from kombu.exceptions import OperationalError as BrokerError

    with (
        mock.patch("quotes.tasks.fetch_article.delay", side_effect=BrokerError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = article_submit_url(url="https://ledger.example/news/8")
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.FETCHING
    assert f"could not enqueue the fetch of article {article.pk}" in caplog.text
