"""WSGI entry point for production servers.

Each server process pays, as it starts, what its first request would otherwise pay:
the URLconf and every view it names, the cache backend's client and the Celery app's
broker transport are imported and set up here (about a quarter of a second of CPU; the
first POST of a cold gunicorn worker took 180 ms instead of 6). Nothing connects yet:
a database, cache or broker that is down is met by the first request that needs it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quotetracker.settings")

application = get_wsgi_application()


def warm_up() -> None:
    """Import and build, without connecting, what requests use: see the module's docstring."""
    from django.core.cache import caches
    from django.urls import get_resolver

    from quotetracker.celery import app

    get_resolver().reverse_dict  # noqa: B018 - imports every view and fills the reverse table
    caches["default"]  # noqa: B018 - the backend and its client library, not yet a connection
    app.finalize(auto=True)
    with app.connection_for_write() as broker:
        broker.transport  # noqa: B018 - the broker's transport class, imported


warm_up()
