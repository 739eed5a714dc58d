"""Plain SQL for the small queries storing every article makes, where the ORM costs more than the query.

Built by the ORM, a read or write of a few rows by index costs 0.4-0.8 ms of Python for about
0.1 ms of database work, and a worker makes dozens of them per stored article. The modules that
need one write its SQL out and run it here: table and column names from the models (``table``),
values only as parameters, SQL that PostgreSQL and SQLite both run.

    plain.rows(f"SELECT MAX(id) FROM {plain.table(Statement)}")   # [(1042,)]
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def table(model: type[models.Model]) -> str:
    """``model``'s table name, quoted for the SQL."""
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    """The column of ``model``'s field ``name``, quoted for the SQL (``end`` is a reserved word)."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def placeholders(values: Sequence) -> str:
    """``%s, %s, ...``: one parameter per value (for ``IN (...)``)."""
    return ", ".join(["%s"] * len(values))


def contains_any(column: str, values: Sequence[str]) -> tuple[str, list[str]]:
    """SQL (and parameters) for ``column`` containing one of ``values`` (as Django's ``__contains`` each).

    >>> contains_any("s.text", ["100%", "no"])[1]  # a wildcard in the words is escaped
    ['%100\\\\%%', '%no%']
    """
    return _like_any(column, values, "contains", "%{}%")


def starts_with_any(column: str, values: Sequence[str]) -> tuple[str, list[str]]:
    """SQL (and parameters) for ``column`` starting with one of ``values`` (as ``__startswith`` each):
    on PostgreSQL each a range of a ``text_pattern_ops`` index of ``column``.

    >>> starts_with_any('"slug"', ["kim-jong-un-"])[1]
    ['kim-jong-un-%']
    """
    return _like_any(column, values, "startswith", "{}%")


def _like_any(column: str, values: Sequence[str], lookup: str, pattern: str) -> tuple[str, list[str]]:
    like = f"{column} {connection.operators[lookup]}"
    patterns = [pattern.format(connection.ops.prep_for_like_query(value)) for value in values]
    return "(" + " OR ".join([like] * len(values)) + ")", patterns


def rows(sql: str, params: Sequence = ()) -> list[tuple]:
    """The rows ``sql`` reads, as tuples."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params: Sequence = ()) -> int:
    """Run a write; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def typed_rows(sql: str, params: Sequence, fields: Sequence[models.Field | None]) -> list:
    """The rows ``sql`` reads, each value as the ORM's ``.values_list()`` gives it when ``fields``
    names the model field of its column (None: as the driver gives it): the field's and the
    database's own conversions, a JSON document decoded, SQLite's dates and times made aware."""
    converters = _converters(tuple(fields))
    found = rows(sql, params)
    if not converters:
        return found
    found = [list(row) for row in found]
    for row in found:
        for i, convert in converters:
            row[i] = convert(row[i])
    return found


def dict_rows(sql: str, params: Sequence, columns: Sequence[tuple[str, models.Field | None]]) -> list[dict]:
    """typed_rows() as dicts: ``columns`` is the select list in order, each a key and its field."""
    keys = [key for key, _ in columns]
    found = typed_rows(sql, params, [field for _, field in columns])
    return [dict(zip(keys, row, strict=True)) for row in found]


def instances(model: type[models.Model], where: str, params: Sequence = ()) -> list:
    """The rows of ``model``'s table (aliased ``t``) that ``where`` selects, as model instances.

    What iterating ``model.objects.filter(...)`` gives (every concrete field, converted as the
    ORM converts it, the instance marked as read from the database), for the reads by key
    storing makes per article, where the ORM's query building costs more than the read.

        plain.instances(Speaker, f"t.id IN ({plain.placeholders(ids)})", ids)
    """
    fields = model._meta.concrete_fields
    columns = ", ".join(f"t.{connection.ops.quote_name(f.column)}" for f in fields)
    found = typed_rows(f"SELECT {columns} FROM {table(model)} t WHERE {where}", params, fields)  # noqa: S608
    names = [f.attname for f in fields]
    return [model.from_db(connection.alias, names, row) for row in found]


def insert(objs: Sequence[models.Model], *, skip_conflicts: bool = False) -> int:
    """Insert these new instances of one model in one statement a batch, as ``bulk_create()`` does.

    Each value goes through its field's ``pre_save()`` and ``get_db_prep_save()`` as the ORM's
    insert puts it (auto_now times, dates, JSON), and each instance gets its new primary key
    (PostgreSQL and SQLite return them in the rows' order, as bulk_create assumes). With
    ``skip_conflicts`` a row a unique constraint refuses is left out (ON CONFLICT DO NOTHING),
    and the keys are set only if none was: which were is not known. Returns how many rows were
    inserted. No signal is sent, as with bulk_create; nothing is inserted for no rows.
    The ORM's bulk_create spends three times the database's time building the statement
    (storing an article makes up to six: statements, links, appearances, candidates, new
    speakers and their aliases).

        plain.insert([Appearance(statement=s, article=a, start=0, end=12, ...)])
    """
    if not objs:
        return 0
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: each field asks it, the proxy costs a look-up
    fields, head, row, returning = _insert_sql(type(objs[0]))
    size = max(1, db.ops.bulk_batch_size(fields, objs))  # SQLite takes 999 parameters at most
    conflicts = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
    keys = []
    with db.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start:start + size]
            values = [field.get_db_prep_save(field.pre_save(obj, True), db)
                      for obj in batch for field in fields]
            cursor.execute(f"{head}{', '.join([row] * len(batch))}{conflicts}{returning}", values)
            keys += [key for (key,) in cursor.fetchall()]
    if len(keys) == len(objs):
        attname = objs[0]._meta.pk.attname
        for obj, key in zip(objs, keys, strict=True):
            setattr(obj, attname, key)
            obj._state.adding, obj._state.db = False, db.alias
    return len(keys)


@functools.cache
def _insert_sql(model: type[models.Model]) -> tuple[tuple[models.Field, ...], str, str, str]:
    """The fields an insert of ``model`` writes (each concrete one but an auto primary key), its
    statement's start, one row's placeholders and the RETURNING of the new keys."""
    fields = tuple(f for f in model._meta.concrete_fields if not (f.primary_key and f.db_returning))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    return (fields, f"INSERT INTO {table(model)} ({columns}) VALUES ", f"({placeholders(fields)})",  # noqa: S608
            f" RETURNING {column(model, model._meta.pk.name)}")


@functools.cache  # a handful of column lists, each read the same way all the process long
def _converters(fields: tuple[models.Field, ...]) -> list[tuple[int, object]]:
    """For each column that needs one, (its index, a function of its value): what Django's
    SQL compiler applies to a ``.values()`` column reading ``field`` (get_converters())."""
    found = []
    for i, field in enumerate(fields):
        if field is None:
            continue
        column = field.get_col(field.model._meta.db_table)
        steps = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if steps:
            found.append((i, _chain(steps, column)))
    return found


def _chain(steps: list, column):
    def convert(value):
        for step in steps:
            value = step(value, column, connection)
        return value
    return convert
