"""quotetracker/bench.py and production serving: the bare view and the query counter exist only in
bench mode; under production settings the WSGI app serves collectstatic's files itself (whitenoise)."""

import importlib
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import clear_url_caches

from quotes.models import Statement
from tests.factories import StatementFactory, statements_varied
from tests.test_settings import PRODUCTION, ROOT, clean_env

pytestmark = pytest.mark.django_db


def _reload_urls() -> None:
    import quotetracker.urls

    importlib.reload(quotetracker.urls)
    clear_url_caches()


@pytest.fixture
def bench_mode(settings):
    settings.BENCH_VIEWS = True
    settings.MIDDLEWARE = ["quotetracker.bench.QueryCountMiddleware", *settings.MIDDLEWARE]
    _reload_urls()
    yield Client()
    settings.BENCH_VIEWS = False
    _reload_urls()


def test_off_by_default_no_bare_view_and_no_header(client):
    response = client.get("/bench/bare/")
    assert response.status_code == 404
    assert "X-Query-Count" not in client.get("/api/statements/").headers


def test_the_bare_view_answers_what_the_apis_first_page_shows(bench_mode, api_client):
    statements_varied()
    StatementFactory.create_batch(15, said_on="2030-01-01")  # a full page, the undated one last

    response = bench_mode.get("/bench/bare/")

    assert response.status_code == 200
    assert response.headers["X-Query-Count"] == "4"
    rows = response.json()["results"]
    assert len(rows) == 20
    assert rows == api_client.get("/api/statements/").json()["results"]


def test_the_thin_bare_view_lists_the_same_statements_three_fields_each(bench_mode, api_client):
    StatementFactory.create_batch(22)
    StatementFactory(said_on=None, said_on_precision="unknown")
    StatementFactory(review_status=Statement.Review.REJECTED, said_on="2000-01-01", said_on_precision="day")

    response = bench_mode.get("/bench/bare-thin/")

    assert response.headers["X-Query-Count"] == "1"
    rows = response.json()["results"]
    assert list(rows[0]) == ["id", "text", "said_on"]
    api_page = api_client.get("/api/statements/").json()["results"]
    assert [r["id"] for r in rows] == [r["id"] for r in api_page]


def test_bench_mode_counts_the_queries_of_any_request(bench_mode):
    StatementFactory.create_batch(3)

    count = int(bench_mode.get("/api/statements/").headers["X-Query-Count"])

    assert count >= 2  # the page and its count, then the prefetches


def test_production_serves_static_files_itself(tmp_path):
    env = clean_env(
        DJANGO_SETTINGS_MODULE="quotetracker.settings", DJANGO_STATIC_ROOT=str(tmp_path),
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "testserver"},
    )
    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collected.returncode == 0, collected.stderr
    fetch = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.templatetags.static import static\n"
        "url = static('admin/css/base.css')\n"
        "r = Client().get(url, secure=True)\n"
        "print(url, r.status_code, r.headers.get('Content-Type'), r.headers.get('Cache-Control'))\n"
    )
    result = subprocess.run([sys.executable, "-c", fetch], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    url, status, content_type, cache = result.stdout.split(maxsplit=3)
    assert url.startswith("/static/admin/css/base.") and url != "/static/admin/css/base.css"  # hashed name
    assert (status, content_type) == ("200", "text/css;")
    assert "max-age" in cache
