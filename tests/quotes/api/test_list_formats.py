"""/api/statements/ as a file: ?format=csv|jsonl or Accept give the export (quotes.api.export)."""

import pytest

from tests.quotes.api.test_export import csv_rows, json_rows

LIST = "/api/statements/"


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["finance", "taxes", "undated"]),
    ({"speaker": "jane-doe", "said_after": "2020-01-01"}, ["taxes"]),
    ({"kind": "indirect"}, ["finance"]),
    ({"review_status": "rejected"}, ["rejected"]),
])
def test_the_list_answers_csv_and_json_lines_with_its_filters(api_client, world, params, expected):
    csv_response = api_client.get(LIST, {**params, "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert [int(row["id"]) for row in csv_rows(csv_response)] == [world[name].pk for name in expected]
    jsonl = api_client.get(LIST, {**params, "format": "jsonl"})
    assert jsonl["Content-Type"].startswith("application/x-ndjson")
    assert [row["id"] for row in json_rows(jsonl)] == [world[name].pk for name in expected]


def test_accept_asks_for_a_file_too(api_client, world):
    rows = csv_rows(api_client.get(LIST, {"kind": "indirect"}, HTTP_ACCEPT="text/csv"))
    assert [int(row["id"]) for row in rows] == [world["finance"].pk]
    rows = json_rows(api_client.get(LIST, {"kind": "indirect"}, HTTP_ACCEPT="application/x-ndjson"))
    assert [row["id"] for row in rows] == [world["finance"].pk]


def test_json_stays_the_paged_list(api_client, world):
    response = api_client.get(LIST, {"kind": "indirect"})
    assert response["Content-Type"] == "application/json"
    assert [row["id"] for row in response.json()["results"]] == [world["finance"].pk]


@pytest.mark.parametrize(("params", "field"), [
    ({"format": "csv", "said_after": "yesterday"}, "said_after"),
    ({"format": "jsonl", "q": "taxes"}, "q"),
])
def test_a_bad_file_request_is_a_json_400(api_client, world, params, field):
    response = api_client.get(LIST, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()["errors"] or field in str(response.json())
