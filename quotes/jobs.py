"""Background jobs by name: services say what must run, quotes.tasks says how it is sent.

A service that needs work done in the background (extracting an article)
calls :func:`enqueue_on_commit` with the job's name and an id; the job is
sent once the current transaction commits, so a worker never looks for a row
it cannot see yet. Only ``quotes.tasks`` knows Celery: it registers one
sender per job when it is imported (``QuotesConfig.ready`` imports it). So
services and tasks never import each other.

>>> sent = []
>>> _ = register("example")(sent.append)
>>> _send("example", 7)
>>> sent
[7]
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

# A job names its rows by one id, or by a list of ids (the statements an article stored).
JobIds = int | list[int]
Sender = Callable[[JobIds], None]
_senders: dict[str, Sender] = {}


def register(name: str) -> Callable[[Sender], Sender]:
    """Decorator: ``sender`` is how the job ``name`` is sent (it must not raise on a broker outage)."""

    def decorate(sender: Sender) -> Sender:
        _senders[name] = sender
        return sender

    return decorate


def _send(name: str, object_id: JobIds) -> None:
    try:
        sender = _senders[name]
    except KeyError:
        # A programming error, not an outage: the tasks module was not imported.
        raise LookupError(f"no sender registered for the job {name!r}") from None
    sender(object_id)


def enqueue_on_commit(name: str, object_id: JobIds) -> None:
    """Send the job ``name`` for ``object_id`` (an id, or a list of ids) once the transaction commits."""
    if name not in _senders:
        raise LookupError(f"no sender registered for the job {name!r}")
    transaction.on_commit(lambda: _send(name, object_id))
