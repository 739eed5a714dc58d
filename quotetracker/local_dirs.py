"""The folders a development machine keeps its state in, made by the processes that use them.

Importing the settings creates nothing (a test, a linter or ``manage.py check`` on a
read-only checkout must not leave a ``var/`` behind). The processes that read or
write there call ``make_local_dirs()`` first: ``manage.py`` (migrate, runserver,
ingest_article, ...) and every Celery worker and beat (quotetracker/celery.py).
"""

from pathlib import Path

from django.conf import settings


def local_dirs(*, celery: bool = False) -> list[Path]:
    """The folders the settings point into on this machine: SQLite's and the filesystem broker's.

    Empty with a database server and a broker server (DATABASE_URL, CELERY_BROKER_URL), e.g.
    ``[var, var/broker/queue, var/broker/processed, var/broker/control]`` with neither.
    ``celery``: for a Celery process, which may be beat, also the folder of beat's schedule file.
    """
    dirs = [Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent] if celery else []
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        dirs.append(Path(database["NAME"]).parent)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        folders = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
        dirs += [Path(options[key]) for key in folders]
    return list(dict.fromkeys(dirs))  # each once, in order


def make_local_dirs(*, celery: bool = False) -> None:
    """Create ``local_dirs()``; harmless when they exist."""
    for folder in local_dirs(celery=celery):
        folder.mkdir(parents=True, exist_ok=True)
