"""quotes/services/articles.py, articles by URL: submit, fetch, identity, failures by reason.

Pages come from a local server (the ``web`` fixture; invented outlets and people only).
"""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone

from quotes.errors import DuplicateArticle, InvalidInput
from quotes.models import Article, Outlet
from quotes.services.articles import article_fetch, article_submit_url, outlet_for_domain
from tests.fetch_server import FixtureServer, Route

pytestmark = pytest.mark.django_db
PAGES = Path(__file__).parents[2] / "fetching" / "pages"


def page(name: str, content_type: str = "text/html; charset=utf-8") -> Route:
    return Route(body=(PAGES / name).read_bytes(), content_type=content_type)


def submitted(url: str, **kwargs) -> Article:
    with mock.patch("quotes.tasks.fetch_article.delay"):
        return article_submit_url(url=url, **kwargs)


def test_a_fetch_left_stale_is_sent_again_once_per_stale_period(django_capture_on_commit_callbacks):
    from quotes.services.articles import article_fetches_requeue_stale

    article = submitted("https://ledger.example/news/stale")
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    period = datetime.timedelta(minutes=15)
    with (
        mock.patch("quotes.tasks.fetch_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert article_fetches_requeue_stale(older_than=period) == [article.pk]
        assert article_fetches_requeue_stale(older_than=period) == []  # queued: fresh again
    delay.assert_called_once_with(article.pk)


def test_a_url_is_stored_fetching_and_its_fetch_queued_after_commit(django_capture_on_commit_callbacks):
    with (
        mock.patch("quotes.tasks.fetch_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = article_submit_url(url="HTTPS://Ledger.Example/news/1?utm_source=x&fbclid=y#top")
        delay.assert_not_called()
    delay.assert_called_once_with(article.pk)
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.FETCHING
    assert article.url == article.source_url == "https://ledger.example/news/1"
    assert article.content_hash is None and article.text == ""


@pytest.mark.parametrize("again", [
    "https://ledger.example/news/1", "https://LEDGER.example/news/1#comments",
    "https://ledger.example/news/1?utm_campaign=spring", "https://ledger.example:443/news/1",
])
def test_the_same_url_in_another_spelling_is_one_article(again):
    first = submitted("https://ledger.example/news/1")
    with pytest.raises(DuplicateArticle) as duplicate:
        submitted(again)
    assert duplicate.value.details["article_id"] == first.pk


@pytest.mark.parametrize("url", ["ftp://ledger.example/a", "javascript:alert(1)", "https:///a", "", "ledger"])
def test_a_url_that_cannot_be_fetched_is_refused_at_once(url):
    with pytest.raises(InvalidInput) as invalid:
        submitted(url)
    assert "url" in invalid.value.details["errors"]
    assert not Article.objects.exists()


def test_a_fetched_page_gives_text_metadata_canonical_url_and_outlet(
    web, test_hosts, django_capture_on_commit_callbacks,
):
    test_hosts["amp.tidewater-ledger.example"] = "127.0.0.1"
    source = f"http://amp.tidewater-ledger.example:{web.port}/harbour"
    web.route("/harbour", page("harbour.html"))
    article = submitted(source)
    with (
        mock.patch("quotes.tasks.extract_article.delay") as extraction,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article_fetch(article_id=article.pk)
    extraction.assert_called_once_with(article.pk)
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING
    assert "councillor Odile Marchetti said during the debate" in article.text
    assert "cookie" not in article.text
    assert (article.title, article.author) == ("Harbour plan splits council", "Priya Vantongeren")
    assert article.published_at == datetime.datetime(2024, 3, 14, tzinfo=datetime.UTC)
    # The page's canonical URL, on its own site: the article's identity.
    assert article.url == "https://www.tidewater-ledger.example/news/harbour-plan"
    assert article.source_url == source
    assert article.outlet.name == "The Tidewater Ledger"
    assert article.outlet.domain == "tidewater-ledger.example"
    assert article.content_hash
    assert web.requests[-1][1]["User-Agent"].startswith("QuoteTracker/")
    assert web.requests[-1][1]["Host"] == f"amp.tidewater-ledger.example:{web.port}"


def test_a_page_cannot_take_another_sites_story_url(web, test_hosts):
    # A copycat page claims the Ledger's story URL (rel=canonical): it keeps its own, and the
    # Ledger's story, submitted after it, is not refused as a duplicate of the copy.
    test_hosts["copycat-gazette.example"] = test_hosts["www.tidewater-ledger.example"] = "127.0.0.1"
    ledger = "https://www.tidewater-ledger.example/news/harbour-plan"
    copy = (PAGES / "harbour.html").read_bytes().replace(b"on Tuesday", b"late on Tuesday")
    web.route("/copied", Route(body=copy))
    claimed = submitted(f"http://copycat-gazette.example:{web.port}/copied")
    article_fetch(article_id=claimed.pk)
    claimed.refresh_from_db()
    assert claimed.extraction_status == Article.Status.PENDING
    assert claimed.url == f"http://copycat-gazette.example:{web.port}/copied"
    assert claimed.outlet.domain == "copycat-gazette.example"
    real = submitted(ledger)  # not a DuplicateArticle naming the copy
    assert real.url == ledger


UNDATED = (b"<html><body><article><p>" + b"The ferry to Ostholm will run twice a day from next month. " * 3
           + b"</p></article></body></html>")


def test_a_page_without_a_date_keeps_the_date_its_feed_entry_gave(web):
    url = web.route("/ferry", Route(body=UNDATED))
    given = datetime.datetime(2024, 5, 1, 6, 0, tzinfo=datetime.UTC)
    article = submitted(url, published_at=given)
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING
    assert (article.published_at, article.published_known) == (given, True)
    assert article.url == url and article.outlet.domain == "127.0.0.1"


def test_a_page_without_a_date_has_none_known_and_the_time_it_was_submitted(web):
    url = web.route("/ferry", Route(body=UNDATED))
    before = timezone.now()
    article = submitted(url)
    assert article.published_known is False  # not known while fetching either
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING
    assert article.published_known is False
    assert before <= article.published_at <= timezone.now()  # for ordering: when it was submitted


def test_a_date_found_on_the_page_is_known(web):
    article = submitted(web.route("/harbour", page("harbour.html")))
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert (article.published_at.date(), article.published_known) == (datetime.date(2024, 3, 14), True)


@pytest.mark.parametrize(("route", "reason"), [
    (Route(status=404, body=b"<html>gone</html>"), "http_status"),
    (Route(status=500, body=b"<html>oops</html>"), "http_status"),
    (Route(body=b"%PDF-1.7", content_type="application/pdf"), "not_html"),
    (Route(body=b"<p>" + b"x" * 5000), "too_large"),
    (Route(body=b"<html>" + b" " * 3000 + b"</html>", pieces=6, dribble=0.4), "timeout"),
    (page("index.html"), "no_text"),
])
def test_a_failed_fetch_is_reported_on_the_article_with_its_reason(web, settings, route, reason):
    settings.FETCH_MAX_BYTES, settings.FETCH_TIMEOUT = 4000, 1
    article = submitted(web.route("/p", route))
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert (article.extraction_status, article.fetch_reason) == (Article.Status.FAILED, reason)
    assert article.extraction_error
    assert article.text == "" and article.content_hash is None


def test_a_blocked_address_is_reported_and_nothing_is_fetched(web):
    with FixtureServer(host="127.0.0.2") as elsewhere:
        article = submitted(elsewhere.route("/admin", page("harbour.html")))
        article_fetch(article_id=article.pk)
        assert elsewhere.requests == []
    article.refresh_from_db()
    assert (article.extraction_status, article.fetch_reason) == (Article.Status.FAILED, "blocked")
    assert "127.0.0.2" in article.extraction_error


def test_robots_txt_is_respected(web):
    web.route("/robots.txt", Route(body=b"User-agent: QuoteTracker\nDisallow: /private/\n",
                                   content_type="text/plain"))
    article = submitted(web.route("/private/story", page("harbour.html")))
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert article.fetch_reason == "robots"
    assert [path for path, _ in web.requests] == ["/robots.txt"]


def test_a_robots_txt_that_cannot_be_read_is_a_refusal(web):
    # RFC 9309: a server error on robots.txt means nothing may be fetched for now.
    web.route("/robots.txt", Route(status=503, body=b"<html>busy</html>"))
    article = submitted(web.route("/story", page("harbour.html")))
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert article.fetch_reason == "robots"
    assert [path for path, _ in web.requests] == ["/robots.txt"]


def test_a_host_that_cannot_be_reached_fails_as_unreachable_not_as_robots_txt(web, loopback_port):
    # Nothing listens there: robots.txt is not what stopped the fetch, and the article says why.
    article = submitted(f"http://127.0.0.1:{loopback_port}/story")
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert (article.extraction_status, article.fetch_reason) == (Article.Status.FAILED, "unreachable")
    assert "refused the connection" in article.extraction_error


def test_the_same_story_under_two_urls_is_one_article(web):
    first = submitted(web.route("/harbour", page("harbour.html")))
    second = submitted(web.route("/harbour-amp", page("harbour.html")))
    article_fetch(article_id=first.pk)
    article_fetch(article_id=second.pk)
    second.refresh_from_db()
    assert (second.extraction_status, second.fetch_reason) == (Article.Status.FAILED, "duplicate")
    assert f"article {first.pk}" in second.extraction_error  # the text hash caught it


def test_the_same_story_under_its_sites_canonical_url_is_one_article(web, test_hosts):
    test_hosts["tidewater-ledger.example"] = test_hosts["amp.tidewater-ledger.example"] = "127.0.0.1"
    web.route("/harbour", page("harbour.html"))
    first = submitted(f"http://tidewater-ledger.example:{web.port}/harbour")
    article_fetch(article_id=first.pk)
    with pytest.raises(DuplicateArticle) as duplicate:  # its canonical URL is known now
        submitted("https://www.tidewater-ledger.example/news/harbour-plan?utm_source=twitter")
    assert duplicate.value.details["article_id"] == first.pk


def test_fetching_again_an_article_no_longer_fetching_does_nothing(web):
    article = submitted(web.route("/harbour", page("harbour.html")))
    article_fetch(article_id=article.pk)
    requests = len(web.requests)
    assert article_fetch(article_id=article.pk) is None
    assert len(web.requests) == requests


def test_an_outlet_is_found_by_domain_and_created_on_first_sight():
    named = Outlet.objects.create(name="Harbour Herald")
    assert outlet_for_domain(domain="harbour-herald.example", name="Harbour Herald") == named
    named.refresh_from_db()
    assert named.domain == "harbour-herald.example"
    other = outlet_for_domain(domain="herald.example", name="Harbour Herald")
    assert (other.name, other.domain) == ("Harbour Herald (herald.example)", "herald.example")
    assert outlet_for_domain(domain="herald.example", name="Anything") == other
    assert outlet_for_domain(domain="quay.example").name == "quay.example"
