"""The Celery application, wired as Celery's Django guide says.

`celery -A quotetracker worker` finds this app through the package's
``celery_app``; configuration comes from Django settings under ``CELERY_``.
"""

import os

from celery import Celery
from celery.signals import import_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quotetracker.settings")

app = Celery("quotetracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@import_modules.connect
def _make_local_dirs(sender=None, **kwargs) -> None:
    """A worker or beat starting (it loads the task modules first) makes the folders it uses."""
    from quotetracker.local_dirs import make_local_dirs

    make_local_dirs(celery=True)
