"""Articles by URL through the API (202, then fetched), and /api/feeds/ (staff only)."""

from unittest import mock

import pytest

from quotes.models import Article, Feed

ARTICLES, FEEDS = "/api/articles/", "/api/feeds/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def fetch_delay():
    with mock.patch("quotes.tasks.fetch_article.delay") as patched:
        yield patched


def test_a_url_alone_is_accepted_and_fetched_after_commit(staff_client, fetch_delay,
                                                          django_capture_on_commit_callbacks):
    url = "https://ledger.example/news/9?utm_source=x"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(ARTICLES, {"url": url}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["extraction_status"] == "fetching"
    fetch_delay.assert_called_once_with(body["id"])
    detail = staff_client.get(body["url"]).json()
    assert (detail["url"], detail["source_url"]) == ("https://ledger.example/news/9",) * 2
    assert detail["fetch_reason"] == ""


def test_the_same_url_again_is_409_naming_the_article(staff_client, fetch_delay):
    first = staff_client.post(ARTICLES, {"url": "https://ledger.example/news/9"}, format="json").json()
    again = staff_client.post(ARTICLES, {"url": "https://LEDGER.example/news/9#c"}, format="json")
    assert again.status_code == 409
    assert again.json()["article_id"] == first["id"]


@pytest.mark.parametrize("url", ["ftp://ledger.example/a", "not a url", "javascript:alert(1)"])
def test_a_url_that_cannot_be_fetched_is_400(staff_client, fetch_delay, url):
    response = staff_client.post(ARTICLES, {"url": url}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()["errors"]
    assert not Article.objects.exists()


def test_anonymous_and_non_staff_cannot_submit_a_url(api_client, user_client, fetch_delay):
    assert api_client.post(ARTICLES, {"url": "https://ledger.example/1"}, format="json").status_code == 401
    assert user_client.post(ARTICLES, {"url": "https://ledger.example/1"}, format="json").status_code == 403
    fetch_delay.assert_not_called()


def test_feeds_are_staff_only_reads_included(api_client, user_client):
    assert api_client.get(FEEDS).status_code == 401
    assert user_client.get(FEEDS).status_code == 403
    assert user_client.post(FEEDS, {"url": "https://ledger.example/rss"}, format="json").status_code == 403
    assert not Feed.objects.exists()


def test_staff_add_list_change_and_delete_a_feed(staff_client):
    created = staff_client.post(FEEDS, {"url": "https://Ledger.example/rss?utm_medium=x"}, format="json")
    assert created.status_code == 201
    feed = created.json()
    assert (feed["url"], feed["active"], feed["poll_interval"]) == ("https://ledger.example/rss", True, 900)
    assert staff_client.post(FEEDS, {"url": "https://ledger.example/rss"}, format="json").status_code == 409
    listed = staff_client.get(FEEDS).json()
    assert [f["url"] for f in listed["results"]] == ["https://ledger.example/rss"]
    one = f"{FEEDS}{feed['id']}/"
    changed = staff_client.patch(one, {"active": False, "poll_interval": 1800}, format="json")
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert staff_client.patch(one, {"poll_interval": 5}, format="json").status_code == 400
    assert staff_client.delete(f"{FEEDS}{feed['id']}/").status_code == 204
    assert not Feed.objects.exists()


@pytest.mark.parametrize("payload", [{"url": "gopher://ledger.example/"}, {}, {"url": "https://x.example/rss",
                                                                               "outlet": "No Such Outlet"}])
def test_a_bad_feed_is_400_json(staff_client, payload):
    response = staff_client.post(FEEDS, payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
