"""The Celery application, wired as Celery's Django guide says.

`celery -A quotetracker worker` finds this app through the package's
``celery_app``; configuration comes from Django settings under ``CELERY_``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quotetracker.settings")

app = Celery("quotetracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
