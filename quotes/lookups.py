"""A lookup the ORM lacks: the value contains one of several strings, built as one lookup.

``Q(a__contains="x") | Q(a__contains="y") | ...`` is resolved by Django lookup by lookup: each
term costs the ORM as much as a whole filter (about 50 microseconds), and storing an article asks
for dozens of them in each of its neighbour reads. ``a__contains_any=["x", "y"]`` is one lookup
that writes the same SQL: ``(a LIKE '%x%' OR a LIKE '%y%')`` with the built-in lookup's operator,
cast and escaping, so PostgreSQL plans it as before and SQLite runs it too.

    Statement.objects.filter(normalized_text__contains_any=["grave threat", "no talks"])

An empty list matches nothing, as ``__in=[]`` does.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import CharField, Lookup, TextField


class ContainsAny(Lookup):
    """``field__contains_any=[...]``: the value holds one of these strings (as ``__contains`` each)."""

    lookup_name = "contains_any"
    prepare_rhs = False
    like = "contains"  # the built-in lookup each term is written as: its operator, cast and escaping
    pattern = "%%%s%%"  # where the escaped value goes

    def as_sql(self, compiler, connection):
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        lhs = connection.ops.lookup_cast(self.like, self.lhs.output_field.get_internal_type()) % lhs
        term = f"{lhs} {connection.operators[self.like] % '%s'}"
        params: list = []
        for value in values:
            params += [*lhs_params, self.pattern % connection.ops.prep_for_like_query(value)]
        return f"({' OR '.join([term] * len(values))})", params


def register() -> None:
    """Make the lookup available on text columns (called once, when the app is ready)."""
    for field in (CharField, TextField):
        field.register_lookup(ContainsAny)
