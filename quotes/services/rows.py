"""Small helpers every service that stores a reviewer's row shares.

>>> required("", field="name", message="A speaker needs a name.")
Traceback (most recent call last):
...
quotes.errors.InvalidInput: A speaker needs a name.
"""

from __future__ import annotations

import functools

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from quotes import plain
from quotes.errors import Conflict, InvalidInput


def required(value: str, *, field: str, message: str) -> None:
    """InvalidInput (with ``message`` under ``field``) when ``value`` is blank."""
    if not value or not value.strip():
        raise InvalidInput(message, errors={field: [message]})


def save_or_conflict(row: models.Model, *, message: str, field: str | None = None) -> models.Model:
    """Save ``row`` in a savepoint; a unique constraint that refuses it is a Conflict.

    The constraint settles a race with a concurrent writer too, which a look-up
    first could not; the savepoint leaves the caller's transaction usable.
    """
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise Conflict(message, **({"errors": {field: [message]}} if field else {})) from exc
    return row


def history_created(model: type[models.Model], pks: list[int]) -> None:
    """Record the creation of these just-inserted rows in ``model``'s history, in one statement.

    What ``model.history.bulk_history_create(rows)`` writes (type "+", now, the request's user
    when there is one, no reason), copied by the database from the stored rows instead of a
    historical instance built per row in Python: storing an article's statements makes dozens.
    """
    if not pks:
        return
    user = _history_model(model).get_default_history_user(None)
    params = [timezone.now(), "", "+", user.pk if user else None, *pks]
    plain.execute(_history_copy_sql(model, len(pks)), params)


@functools.cache
def _history_model(model: type[models.Model]) -> type[models.Model]:
    """``model.history.model``, looked up once (simple_history builds a manager class on each read)."""
    return model.history.model


@functools.lru_cache(maxsize=64)
def _history_copy_sql(model: type[models.Model], count: int) -> str:
    """history_created's INSERT ... SELECT for ``count`` rows of ``model`` (made once per model and count)."""
    history = _history_model(model)
    quote = connection.ops.quote_name
    to = [quote(history._meta.get_field(f.name).column) for f in history.tracked_fields]
    to += [quote(history._meta.get_field(name).column)
           for name in ("history_date", "history_change_reason", "history_type", "history_user")]
    columns = ", ".join(quote(f.column) for f in history.tracked_fields)
    # Names from the models and placeholders only: no value is written into the SQL.
    return (f"INSERT INTO {plain.table(history)} ({', '.join(to)}) "  # noqa: S608
            f"SELECT {columns}, %s, %s, %s, %s FROM {plain.table(model)} "
            f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * count)})")
