"""The extraction task: one service call, bounded retries on named errors, failure recorded."""

from unittest import mock

import pytest
from django.db import OperationalError

from quotes.models import Article
from quotes.tasks import extract_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_task_is_configured_as_the_celery_guide_says():
    assert extract_article.acks_late is True
    assert extract_article.reject_on_worker_lost is True
    assert extract_article.max_retries == 5
    assert extract_article.autoretry_for == (OperationalError, mock.ANY)
    assert extract_article.time_limit and extract_article.soft_time_limit < extract_article.time_limit


def test_task_runs_the_service_with_the_id():
    with mock.patch("quotes.tasks.article_extract") as service:
        extract_article.apply(args=[42])
    service.assert_called_once_with(article_id=42)


def test_transient_database_error_is_retried_then_recorded_as_failure():
    article = ArticleFactory(extraction_status=Article.Status.PENDING)
    with mock.patch("quotes.tasks.article_extract", side_effect=OperationalError("connection lost")) as svc:
        result = extract_article.apply(args=[article.pk])
    assert svc.call_count == 1 + extract_article.max_retries  # bounded, not forever
    assert result.failed()
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.FAILED
    assert "OperationalError: connection lost" in article.extraction_error


def test_other_errors_are_not_retried():
    article = ArticleFactory(extraction_status=Article.Status.PENDING)
    with mock.patch("quotes.tasks.article_extract", side_effect=ValueError("bug")) as svc:
        extract_article.apply(args=[article.pk])
    assert svc.call_count == 1
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.FAILED


def test_a_deleted_article_is_skipped_quietly():
    result = extract_article.apply(args=[999999])
    assert result.successful()
