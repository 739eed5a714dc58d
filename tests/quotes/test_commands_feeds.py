"""`ingest_url`, `add_feed` and `poll_feeds`: one service call each, bad input a one-line error."""

import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from quotes.models import Article, Feed
from tests.fetch_server import Route

pytestmark = pytest.mark.django_db
FEEDS = Path(__file__).parents[1] / "fetching" / "feeds"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_ingest_url_stores_the_article_and_queues_its_fetch(django_capture_on_commit_callbacks):
    with (
        mock.patch("quotes.tasks.fetch_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        out = run("ingest_url", "https://ledger.example/news/3?fbclid=abc")
    article = Article.objects.get()
    assert out.strip() == f"article {article.pk} stored (https://ledger.example/news/3); fetch queued"
    delay.assert_called_once_with(article.pk)


@pytest.mark.parametrize(("command", "url", "message"), [
    ("ingest_url", "file:///etc/passwd", "Give an http or https URL"),
    ("add_feed", "ftp://ledger.example/rss", "Give an http or https URL"),
])
def test_a_bad_url_is_a_one_line_error(command, url, message):
    with pytest.raises(CommandError, match=message) as error:
        run(command, url)
    assert "\n" not in str(error.value)
    assert not Article.objects.exists() and not Feed.objects.exists()


def test_ingest_url_twice_names_the_stored_article():
    with mock.patch("quotes.tasks.fetch_article.delay"):
        run("ingest_url", "https://ledger.example/news/3")
        with pytest.raises(CommandError, match=r"already stored\. \(article_id=\d+\)"):
            run("ingest_url", "https://ledger.example/news/3#top")


def test_add_feed_then_poll_feeds_queues_its_entries(web):
    body = (FEEDS / "rss2.xml").read_text().replace("{base}", web.url("")).encode()
    url = web.route("/rss.xml", Route(body=body, content_type="application/rss+xml"))
    out = run("add_feed", url, "--outlet", "The Tidewater Ledger", "--interval", "600")
    feed = Feed.objects.get()
    assert (feed.outlet.name, feed.poll_interval) == ("The Tidewater Ledger", 600)
    assert out.strip() == f"feed {feed.pk} added ({url}); polled every 600 s"
    with pytest.raises(CommandError, match="already stored"):
        run("add_feed", url)
    with mock.patch("quotes.tasks.fetch_article.delay"):
        out = run("poll_feeds")
        assert "1 feed(s) polled, 2 new article(s)" in out
        assert "0 feed(s) polled" in run("poll_feeds")  # not due again yet
        assert "1 feed(s) polled, 0 new article(s)" in run("poll_feeds", "--all")
    assert Article.objects.filter(feed=feed).count() == 2
