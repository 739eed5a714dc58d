"""The admin: an article added by URL alone, and feeds (added, shown with their errors, polled now)."""

from unittest import mock

import pytest
from django.urls import reverse

from quotes.models import Article, Feed

pytestmark = pytest.mark.django_db
EMPTY_INLINES = {
    f"{prefix}-{field}": 0
    for prefix in ("appearances", "appearances-2") for field in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def url(model, view, *args):
    return reverse(f"admin:quotes_{model}_{view}", args=args)


def errors(response):
    return {field: list(messages) for field, messages in response.context["adminform"].form.errors.items()}


def test_an_article_added_by_url_alone_is_fetched(admin_client, admin_user,
                                                  django_capture_on_commit_callbacks):
    post = {"url": "https://planet.example/harvest?utm_source=x", "text": "", "title": "", **EMPTY_INLINES}
    with (
        mock.patch("quotes.tasks.fetch_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_client.post(url("article", "add"), post)
    assert response.status_code == 302, errors(response)
    article = Article.objects.get()
    assert (article.url, article.extraction_status) == ("https://planet.example/harvest", "fetching")
    assert article.submitted_by == admin_user
    delay.assert_called_once_with(article.pk)
    assert admin_client.get(url("article", "change", article.pk)).status_code == 200


@pytest.mark.parametrize(("post", "field"), [
    ({"url": "", "text": ""}, "text"),  # neither
    ({"url": "ftp://planet.example/a", "text": ""}, "url"),
    ({"url": "", "text": "Some words.", "title": ""}, "title"),  # text needs its title and date
])
def test_an_article_needs_its_text_or_a_url_alone(admin_client, post, field):
    with mock.patch("quotes.tasks.fetch_article.delay") as delay:
        response = admin_client.post(url("article", "add"), {**post, **EMPTY_INLINES})
    assert response.status_code == 200
    assert field in errors(response)
    assert not Article.objects.exists()
    delay.assert_not_called()


def test_a_url_already_stored_is_a_form_error_naming_the_article(admin_client):
    add = url("article", "add")
    with mock.patch("quotes.tasks.fetch_article.delay"):
        admin_client.post(add, {"url": "https://planet.example/a", "text": "", **EMPTY_INLINES})
        again = {"url": "https://PLANET.example/a#top", "text": "", **EMPTY_INLINES}
        response = admin_client.post(add, again)
    assert response.status_code == 200
    assert "already exists" in errors(response)["url"][0]
    assert Article.objects.count() == 1


def test_feeds_are_added_listed_with_errors_and_polled_on_demand(admin_client,
                                                                django_capture_on_commit_callbacks):
    response = admin_client.post(url("feed", "add"), {
        "url": "https://Planet.example/rss?utm_source=x", "title": "", "active": "on", "poll_interval": 900,
    })
    assert response.status_code == 302, errors(response)
    feed = Feed.objects.get()
    assert feed.url == "https://planet.example/rss"
    Feed.objects.filter(pk=feed.pk).update(last_error="HTTP 500", consecutive_failures=2)
    listing = admin_client.get(url("feed", "changelist")).content.decode()
    assert "HTTP 500" in listing
    same = {"url": "https://planet.example/rss#x", "poll_interval": 60}
    again = admin_client.post(url("feed", "add"), same)
    assert again.status_code == 200 and "url" in errors(again)
    action = {"action": "poll_feeds_now", "_selected_action": [feed.pk]}
    with (
        mock.patch("quotes.tasks.poll_feed.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        admin_client.post(url("feed", "changelist"), action)
    delay.assert_called_once_with(feed.pk)
    assert admin_client.get(url("feed", "change", feed.pk)).status_code == 200
