"""quotes/services/feeds.py: adding feeds, polling them (conditional GET, three formats), backing off.

Feeds and pages come from a local server (the ``web`` fixture); outlets and people are invented.
"""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from quotes.errors import Conflict, InvalidInput
from quotes.models import Article, Feed
from quotes.services.feeds import MAX_BACKOFF, feed_add, feed_poll, feeds_poll_due
from tests.fetch_server import Route

pytestmark = pytest.mark.django_db
FEEDS = Path(__file__).parents[2] / "fetching" / "feeds"
KINDS = {
    "rss2.xml": "application/rss+xml", "rss1.xml": "application/rdf+xml", "atom.xml": "application/atom+xml",
}


@pytest.fixture(autouse=True)
def no_broker():
    with mock.patch("quotes.tasks.fetch_article.delay"), mock.patch("quotes.tasks.poll_feed.delay"):
        yield


def serve_feed(web, name: str, **route) -> str:
    body = (FEEDS / name).read_text().replace("{base}", web.url("")).encode()
    return web.route(f"/{name}", Route(body=body, content_type=KINDS[name], **route))


def test_a_feed_is_added_with_a_normal_url_once():
    feed = feed_add(url="HTTPS://Ledger.Example/rss.xml?utm_source=x")
    assert (feed.url, feed.active, feed.poll_interval) == ("https://ledger.example/rss.xml", True, 900)
    with pytest.raises(Conflict):
        feed_add(url="https://ledger.example/rss.xml")
    with pytest.raises(InvalidInput):
        feed_add(url="file:///etc/passwd")
    with pytest.raises(InvalidInput):
        feed_add(url="https://ledger.example/other.xml", poll_interval=5)


@pytest.mark.parametrize(("name", "titles"), [
    ("rss2.xml", ["Harbour plan splits council", "Rail union rejects pay offer"]),
    ("rss1.xml", ["Reservoir levels recover after dry spring"]),
    ("atom.xml", ["Le maire défend le budget"]),
])
def test_each_entry_of_an_rss_2_rss_1_or_atom_feed_becomes_an_article_to_fetch(web, name, titles):
    feed = feed_add(url=serve_feed(web, name))
    assert feed_poll(feed_id=feed.pk) == len(titles)
    articles = Article.objects.filter(feed=feed).order_by("pk")
    assert [a.title for a in articles] == titles
    assert {a.extraction_status for a in articles} == {Article.Status.FETCHING}
    assert all(a.source_url.startswith(web.url("/")) and "utm_" not in a.source_url for a in articles)
    assert all("#" not in a.source_url for a in articles)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")
    assert feed.last_new_entry_at is not None


def test_an_entrys_date_stands_until_the_page_gives_one(web):
    feed = feed_add(url=serve_feed(web, "rss2.xml"))
    feed_poll(feed_id=feed.pk)
    rail = Article.objects.get(title="Rail union rejects pay offer")
    assert rail.published_at == datetime.datetime(2023, 11, 2, 7, 15, tzinfo=datetime.UTC)


def test_an_unchanged_feed_is_asked_conditionally_and_answers_304(web):
    feed = feed_add(url=serve_feed(web, "rss2.xml", etag='"v7"'))
    feed_poll(feed_id=feed.pk)
    assert feed_poll(feed_id=feed.pk) == 0
    assert web.requests[-1][1]["If-None-Match"] == '"v7"'
    feed.refresh_from_db()
    assert feed.etag == '"v7"' and feed.last_error == ""
    assert Article.objects.count() == 2


def test_entries_already_known_are_not_added_again_even_through_another_feed(web):
    first = feed_add(url=serve_feed(web, "rss2.xml"))
    assert feed_poll(feed_id=first.pk) == 2
    assert feed_poll(feed_id=first.pk) == 0  # no ETag: fetched again, nothing new
    body = (FEEDS / "rss2.xml").read_text().replace("{base}", web.url("")).encode()
    second = feed_add(url=web.route("/mirror.xml", Route(body=body, content_type="text/xml")))
    assert feed_poll(feed_id=second.pk) == 0
    assert Article.objects.count() == 2


@pytest.mark.parametrize("route", [
    Route(status=500, body=b"oops"), Route(status=404, body=b"gone"),
    Route(body=b"<html><body>not a feed</body></html>", content_type="text/html"),
    Route(body=b"%PDF", content_type="application/pdf"),
])
def test_a_failing_feed_records_its_error_and_backs_off_doubling_up_to_a_day(web, route):
    feed = feed_add(url=web.route("/bad.xml", route), poll_interval=3600)
    waits = []
    for _ in range(6):
        before = timezone.now()
        assert feed_poll(feed_id=feed.pk) == 0
        feed.refresh_from_db()
        waits.append(round((feed.next_poll_at - before).total_seconds() / 3600))
    assert waits == [2, 4, 8, 16, 24, 24]
    assert feed.consecutive_failures == 6 and feed.last_error
    assert MAX_BACKOFF == 24 * 3600


def test_a_feed_that_answers_again_is_back_to_its_interval(web):
    feed = feed_add(url=serve_feed(web, "rss2.xml"), poll_interval=600)
    Feed.objects.filter(pk=feed.pk).update(consecutive_failures=3, last_error="HTTP 500")
    feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")
    assert 590 <= (feed.next_poll_at - feed.last_polled_at).total_seconds() <= 600


def test_only_active_due_feeds_are_queued_each_once(web, django_capture_on_commit_callbacks):
    now = timezone.now()
    due = feed_add(url="https://a.example/rss")
    later = feed_add(url="https://b.example/rss")
    Feed.objects.filter(pk=later.pk).update(next_poll_at=now + datetime.timedelta(minutes=5))
    feed_add(url="https://c.example/rss", active=False)
    with (
        mock.patch("quotes.tasks.poll_feed.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert feeds_poll_due(now=now) == [due.pk]
        assert feeds_poll_due(now=now) == []  # claimed: the next round leaves it alone
    delay.assert_called_once_with(due.pk)


def test_one_bad_feed_never_stops_the_others(web):
    bad = feed_add(url=web.route("/broken.xml", Route(status=500, body=b"")))
    refused = feed_add(url="http://127.0.0.2/rss")
    good = feed_add(url=serve_feed(web, "atom.xml"))
    results = [feed_poll(feed_id=f.pk) for f in (bad, refused, good)]
    assert results == [0, 0, 1]
    refused.refresh_from_db()
    assert "127.0.0.2" in refused.last_error


def test_a_long_feed_is_taken_in_rounds_not_left_behind_a_304(web, monkeypatch):
    monkeypatch.setattr("quotes.services.feeds.ENTRIES_PER_POLL", 1)
    feed = feed_add(url=serve_feed(web, "rss2.xml", etag='"v1"'))
    assert feed_poll(feed_id=feed.pk) == 1
    assert feed_poll(feed_id=feed.pk) == 1  # asked unconditionally: the second entry
    assert "If-None-Match" not in web.requests[-1][1]
    assert feed_poll(feed_id=feed.pk) == 0
    assert Article.objects.count() == 2
