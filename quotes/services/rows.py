"""Small helpers every service that stores a reviewer's row shares.

>>> required("", field="name", message="A speaker needs a name.")
Traceback (most recent call last):
...
quotes.errors.InvalidInput: A speaker needs a name.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction

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
