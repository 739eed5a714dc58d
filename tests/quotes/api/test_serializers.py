"""quotes/api/serializers.py: the lists' read-only rows make exactly what StatementSerializer makes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from quotes.api.serializers import StatementSerializer
from quotes.selectors import statement_list, statement_rows, statement_rows_related
from tests.factories import statements_varied

pytestmark = pytest.mark.django_db


def _by_rows(ids, context):
    rows = list(statement_rows(include_rejected=True).filter(pk__in=ids))
    rows = statement_rows_related(rows)
    return StatementSerializer(rows, many=True, context=context).data


def _by_instances(ids, context):
    statements = statement_list(include_rejected=True, with_roles=True).filter(pk__in=ids)
    return StatementSerializer(statements, many=True, context=context).data


def test_rows_and_instances_serialize_the_same_for_every_kind_of_statement():
    statements = statements_varied()
    ids = [s.pk for s in statements]
    context = {"request": APIRequestFactory().get("/api/statements/")}

    by_rows = _by_rows(ids, context)

    assert by_rows == _by_instances(ids, context)
    assert len(by_rows) == len(statements)
    shown = {row["text"]: row for row in by_rows}
    whole = shown['We will <b>rebuild</b> the "harbour" & the pier — café too.']
    # Three speakers by name, the role each held on the day (an ended one is not), two sources.
    assert [(s["name"], s["role"] and s["role"]["title"]) for s in whole["speakers"]] == [
        ("Ada Quill", "Mayor"), ("Bo Lindqvist-Ørn", "Spokesperson"), ("Cy <Tern>", None),
    ]
    assert [a["article"]["outlet"] for a in whole["appearances"]] == ["The Verity Ledger", None]
    assert whole["first_reported"] == "2020-04-02T09:30:15Z"
    unsourced, undated = shown["No source yet."], shown["Nobody asked me."]
    assert unsourced["appearances"] == [] and unsourced["first_reported"] is None
    assert undated["said_on"] is None and undated["speakers"][0]["role"] is None


@pytest.mark.parametrize("query", [
    "", "?review_status=rejected", "?speaker=ada-quill", "?ordering=-said_on", "?ordering=first_reported",
    "?q=harbour", "?page_size=2",
])
def test_each_listed_row_is_the_statement_as_its_own_url_shows_it(api_client, query):
    statements_varied()

    listed = api_client.get(f"/api/statements/{query}").json()["results"]

    assert listed
    for row in listed:
        assert row == api_client.get(f"/api/statements/{row['id']}/").json()


def test_a_pages_related_reads_are_three_queries_however_many_rows():
    statements_varied()
    rows = list(statement_rows(include_rejected=True))

    with CaptureQueriesContext(connection) as queries:
        statement_rows_related(rows)

    assert len(queries) == 3
    assert sum(len(row["appearances"]) for row in rows) == 6
