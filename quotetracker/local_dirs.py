"""The folders a development machine keeps its state in, made by the processes that use them.

Importing the settings creates nothing (a test, a linter or ``manage.py check`` on a
read-only checkout must not leave a ``var/`` behind). The processes that read or
write there call ``make_local_dirs()`` first: ``manage.py`` (migrate, runserver,
ingest_article, ...) and every Celery worker and beat (quotetracker/celery.py).
"""

from pathlib import Path

from django.conf import settings


def local_dirs() -> list[Path]:
    """The folders the settings point into on this machine: SQLite's and the filesystem broker's.

    Empty with a database server and a broker server (DATABASE_URL, CELERY_BROKER_URL), e.g.
    ``[var, var/broker/queue, var/broker/processed, var/broker/control]`` with neither.
    """
    dirs = []
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        dirs.append(Path(database["NAME"]).parent)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if Path(options[key]) not in dirs:
                dirs.append(Path(options[key]))
    return dirs


def make_local_dirs() -> None:
    """Create ``local_dirs()``; harmless when they exist."""
    for folder in local_dirs():
        folder.mkdir(parents=True, exist_ok=True)
