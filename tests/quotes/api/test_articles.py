"""The articles API: listing, detail with statements, submission (202) and re-extraction."""

from unittest import mock

import pytest
from django.test import override_settings

from quotes.api.permissions import StaffWithModelPermissionsOrReadOnly
from quotes.models import Article
from quotes.tasks import extract_article
from tests.factories import ArticleFactory

LIST = "/api/articles/"
TEXT = '"We will not raise taxes," the Ruritanian prime minister said on Friday.'


@pytest.fixture
def delay():
    with mock.patch("quotes.tasks.extract_article.delay") as patched:
        yield patched


def submit(client, **overrides):
    payload = {"title": "Taxes", "text": TEXT, "published_at": "2025-02-09T08:00:00Z"} | overrides
    return client.post(LIST, payload)


def test_list(api_client, world):
    response = api_client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert (body["next"], body["previous"], len(body["results"])) == (None, None, 2)
    newest = body["results"][0]
    assert newest["title"] == "Election eve"
    assert set(newest) == {
        "id", "title", "url", "outlet", "author", "published_at", "published_known", "extraction_status",
        "extraction_error", "extractor_version", "extracted_at", "statement_count",
        "source_url", "fetch_reason",
    }
    oldest = body["results"][1]
    assert oldest["outlet"] == "Daily Example"
    assert oldest["statement_count"] == 2
    assert oldest["extraction_status"] == "done"


def test_list_filters_by_status(api_client, world):
    ArticleFactory(extraction_status=Article.Status.FAILED, extraction_error="KeyError: 'secret/path'",
                   extraction_failure=Article.Failure.ERROR)
    body = api_client.get(LIST, {"extraction_status": "failed"}).json()
    assert [row["extraction_error"] for row in body["results"]] == ["error"]  # the category, not the text
    assert api_client.get(LIST, {"extraction_status": "lost"}).status_code == 400


def test_detail_has_text_and_statements(api_client, world):
    response = api_client.get(f"{LIST}{world['a1'].pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["text"] == world["a1"].text
    assert [s["id"] for s in body["statements"]] == [world["finance"].pk, world["taxes"].pk]
    assert body["statements"][1]["source_count"] == 2


@pytest.mark.django_db
def test_an_article_says_whether_its_publication_date_is_known(api_client):
    undated = ArticleFactory(published_known=False)
    dated = ArticleFactory()
    assert api_client.get(f"{LIST}{undated.pk}/").json()["published_known"] is False
    assert api_client.get(f"{LIST}{dated.pk}/").json()["published_known"] is True
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    field = schema["components"]["schemas"]["Article"]["properties"]["published_known"]
    assert field["type"] == "boolean" and field["readOnly"] is True and "not found" in field["description"]


def test_detail_hides_rejected_statements(api_client, world):
    body = api_client.get(f"{LIST}{world['a2'].pk}/").json()
    assert world["rejected"].pk not in [s["id"] for s in body["statements"]]


def test_unknown_article_is_404_json(api_client, db):
    response = api_client.get(f"{LIST}424242/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_staff_submits_and_extraction_is_queued_after_commit(
    staff_client, staff_user, delay, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = submit(staff_client, url="https://news.example/taxes", outlet="Daily Example",
                          author="A. Reporter")
        delay.assert_not_called()  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()

    assert response.status_code == 202, response.json()
    body = response.json()
    article = Article.objects.get(pk=body["id"])
    assert body == {
        "id": article.pk, "url": f"http://testserver/api/articles/{article.pk}/",
        "extraction_status": "pending",
    }
    assert response["Location"] == body["url"]
    delay.assert_called_once_with(article.pk)
    assert article.submitted_by == staff_user
    assert article.outlet.name == "Daily Example"
    assert article.text == TEXT
    # The poll URL answers.
    assert staff_client.get(body["url"]).json()["extraction_status"] == "pending"


def test_submit_accepts_a_date_and_keeps_whitespace(staff_client, delay):
    text = "  " + TEXT + "\n"
    response = submit(staff_client, published_at="2025-02-09", text=text)

    assert response.status_code == 202, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    assert article.text == text  # offsets point into the text as submitted
    assert article.published_at.isoformat() == "2025-02-09T00:00:00+00:00"


def test_duplicate_text_is_409_with_the_article_id(staff_client, delay):
    first = submit(staff_client).json()
    response = submit(staff_client, title="Same text again")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_article"
    assert body["article_id"] == first["id"]
    assert body["detail"]


def test_duplicate_url_is_409_with_the_article_id(staff_client, world, delay):
    response = submit(staff_client, url=world["a1"].url)
    assert response.status_code == 409
    assert response.json()["article_id"] == world["a1"].pk


@pytest.mark.parametrize(("overrides", "field"), [
    ({"text": ""}, "text"),
    ({"title": ""}, "title"),
    ({"published_at": "last tuesday"}, "published_at"),
    ({"url": "not a url"}, "url"),
])
def test_invalid_submission_is_400_json(staff_client, delay, overrides, field):
    response = submit(staff_client, **overrides)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "published_at", ["0001-01-01", "1799-12-31T23:00:00Z", "9999-12-31", "9999-12-31T23:59:59-05:00"],
)
def test_publication_dates_out_of_bounds_are_400_json(staff_client, delay, published_at):
    response = submit(staff_client, published_at=published_at)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "published_at" in response.json()["errors"]
    assert not Article.objects.exists()


def test_missing_fields_are_400_json(staff_client, delay):
    response = staff_client.post(LIST, {})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"title", "text", "published_at"}


def test_blank_text_is_400_from_the_service(staff_client, delay):
    response = submit(staff_client, text="   ")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_malformed_json_is_400_json(staff_client, delay):
    response = staff_client.post(LIST, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@override_settings(ARTICLE_MAX_CHARS=100)
def test_text_over_the_limit_is_400(staff_client, delay):
    response = submit(staff_client, text="x" * 101)

    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert not Article.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_body_over_the_upload_limit_is_413_json(staff_client, delay):
    response = submit(staff_client, text="y" * 5000)

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not Article.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_form_body_over_the_upload_limit_is_413_json(staff_client, delay):
    response = staff_client.post(
        LIST, {"title": "t", "text": "z" * 5000, "published_at": "2025-02-09"}, format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_anonymous_cannot_submit(api_client, db, delay):
    response = submit(api_client)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert not Article.objects.exists()
    delay.assert_not_called()


def test_non_staff_cannot_submit(user_client, delay):
    response = submit(user_client)

    assert response.status_code == 403
    assert response.json()["detail"] == StaffWithModelPermissionsOrReadOnly.message
    assert not Article.objects.exists()


def test_staff_reruns_extraction(staff_client, world, delay, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{LIST}{world['a1'].pk}/extract/")

    assert response.status_code == 202
    assert response.json()["extraction_status"] == "pending"
    assert response.json()["id"] == world["a1"].pk
    delay.assert_called_once_with(world["a1"].pk)


def test_non_staff_cannot_rerun_extraction(user_client, world, delay):
    response = user_client.post(f"{LIST}{world['a1'].pk}/extract/")
    assert response.status_code == 403
    delay.assert_not_called()


def test_rerun_of_unknown_article_is_404(staff_client, db, delay):
    assert staff_client.post(f"{LIST}424242/extract/").status_code == 404


def test_a_failed_extraction_shows_a_category_publicly_and_the_full_error_in_the_admin(
    api_client, admin_client,
):
    article = ArticleFactory()
    extract_article.on_failure(KeyError("/srv/secret/model.bin"), "task-id", [article.pk], {}, None)

    public = api_client.get(f"{LIST}{article.pk}/").json()
    assert (public["extraction_status"], public["extraction_error"]) == ("failed", "error")
    assert "secret" not in str(public)
    admin_page = admin_client.get(f"/admin/quotes/article/{article.pk}/change/").content.decode()
    assert "/srv/secret/model.bin" in admin_page
