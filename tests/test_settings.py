"""The settings: read from the environment, refusing bad values; importing them creates nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


# A key production accepts (50+ characters, several different), and the services it requires.
PRODUCTION = {
    "QUOTETRACKER_ENV": "production", "DJANGO_SECRET_KEY": "test-only-" + "0123456789abcdef" * 4,
    "DJANGO_ALLOWED_HOSTS": "quotes.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qt_unused", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/5",
}


def clean_env(**env) -> dict[str, str]:
    """This process's environment without the project's variables, plus ``env``: the defaults apply."""
    ours = ("DJANGO_", "QUOTETRACKER_", "DATABASE_", "CELERY_", "EXTRACTION_", "TIMELINE_")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(ours)}, **env}


def load_settings(prints: str = "DEBUG", **env) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with ``env`` and print the setting ``prints``."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print(settings.{prints})",
        ],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="quotetracker.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, missing",
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "k" * 50}, "DJANGO_SECRET_KEY"),  # long, but one character
        ({"DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"]}, "DJANGO_ALLOWED_HOSTS"),
        ({k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}, "DATABASE_URL"),
        ({k: v for k, v in PRODUCTION.items() if k != "CELERY_BROKER_URL"}, "CELERY_BROKER_URL"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    result = load_settings(**{"QUOTETRACKER_ENV": "production", **env})
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_with_secrets_turns_debug_off():
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan", "half"])
def test_a_confidence_floor_outside_0_to_1_refuses_to_start(value):
    result = load_settings(TIMELINE_MIN_CONFIDENCE=value)
    assert result.returncode != 0
    assert "TIMELINE_MIN_CONFIDENCE must be a number from 0 to 1" in result.stderr


def test_the_confidence_floor_comes_from_the_environment():
    result = load_settings("TIMELINE_MIN_CONFIDENCE", TIMELINE_MIN_CONFIDENCE="0.7")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0.7"


def test_the_sweep_interval_comes_from_the_environment():
    result = load_settings(
        "CELERY_BEAT_SCHEDULE['requeue-stale-extractions']['schedule']", EXTRACTION_REQUEUE_INTERVAL="60",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "60.0"


@pytest.mark.parametrize("value", ["0", "-5", "five"])
def test_a_sweep_interval_below_one_second_refuses_to_start(value):
    result = load_settings(EXTRACTION_REQUEUE_INTERVAL=value)
    assert result.returncode != 0
    assert "EXTRACTION_REQUEUE_INTERVAL must be a whole number of at least 1" in result.stderr


def test_a_stale_age_within_the_task_time_limit_refuses_to_start():
    # 5 minutes is the extraction's own limit: a running one would be queued twice.
    result = load_settings(EXTRACTION_STALE_MINUTES="5", CELERY_TASK_TIME_LIMIT="300")
    assert result.returncode != 0
    assert "EXTRACTION_STALE_MINUTES must be longer than CELERY_TASK_TIME_LIMIT" in result.stderr


def test_importing_the_settings_creates_no_folder(tmp_path):
    var = tmp_path / "var"  # the defaults put SQLite and the filesystem broker under it
    result = load_settings("DATABASES['default']['NAME']", QUOTETRACKER_VAR_DIR=str(var))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(var / "db.sqlite3")
    assert not var.exists()


def test_manage_py_makes_the_folders_sqlite_and_the_filesystem_broker_use(tmp_path):
    var = tmp_path / "var"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                            env=clean_env(QUOTETRACKER_VAR_DIR=str(var)), timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(var).as_posix() for p in var.rglob("*")) == [
        "broker", "broker/control", "broker/processed", "broker/queue",
    ]


def test_a_database_and_a_broker_server_need_no_folder(tmp_path):
    var = tmp_path / "var"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                            env=clean_env(QUOTETRACKER_VAR_DIR=str(var), DATABASE_URL="postgres://db.invalid/q",
                                          CELERY_BROKER_URL="redis://127.0.0.1:6379/13"), timeout=60)
    assert result.returncode == 0, result.stderr
    assert not var.exists()


def test_throttle_counters_are_in_the_database_without_a_cache_url_and_in_redis_with_one():
    assert "quotetracker.cache.DatabaseCache" in load_settings("CACHES['default']['BACKEND']").stdout
    redis = load_settings("CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/5")
    assert redis.stdout.strip() == "django_redis.cache.RedisCache"


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_bad_number_of_proxies_refuses_to_start(value):
    result = load_settings(API_NUM_PROXIES=value)
    assert result.returncode != 0 and "API_NUM_PROXIES" in result.stderr


def test_production_passes_the_deploy_check_with_only_the_documented_decisions_silenced():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean_env(DJANGO_SETTINGS_MODULE="quotetracker.settings", **PRODUCTION),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (2 silenced)" in result.stdout  # HSTS subdomains and preload: README


def test_database_connections_are_health_checked_before_reuse():
    assert load_settings("DATABASES['default']['CONN_HEALTH_CHECKS']").stdout.strip() == "True"


def test_postgresql_connections_plan_no_parallel_workers_unless_asked():
    url = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/qt?options=-c%20search_path%3Dpublic"}
    options = "DATABASES['default']['OPTIONS']['options']"
    assert load_settings(options, **url).stdout.split() == [
        "-c", "search_path=public", "-c", "max_parallel_workers_per_gather=0",
    ]
    assert load_settings(options, DATABASE_PARALLEL_WORKERS="2", **url).stdout.split()[-1] == (
        "max_parallel_workers_per_gather=2"
    )
    refused = load_settings(options, DATABASE_PARALLEL_WORKERS="-1", **url)
    assert refused.returncode != 0 and "DATABASE_PARALLEL_WORKERS" in refused.stderr


@pytest.mark.django_db
def test_a_postgresql_connection_has_parallel_query_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
