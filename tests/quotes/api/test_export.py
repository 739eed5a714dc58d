"""The statement export (quotes/api/export.py): CSV and JSON Lines, filters, order, streaming, limits."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quotes.api import export
from quotes.models import Statement
from tests.factories import SpeakerFactory, StatementFactory

EXPORT = "/api/statements/export/"


def body(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body(response), newline="")))


def json_rows(response) -> list[dict]:
    return [json.loads(line) for line in body(response).splitlines()]


def test_csv_has_a_header_and_the_statement_columns(api_client, world):
    response = api_client.get(EXPORT, {"speaker": "jane-doe"})

    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"].startswith('attachment; filename="statements-jane-doe-')
    assert response["Content-Disposition"].endswith('.csv"')
    text = body(api_client.get(EXPORT, {"speaker": "jane-doe"}))
    assert text.startswith(",".join(export.COLUMNS) + "\r\n")  # RFC 4180: CRLF
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    taxes = world["taxes"]
    assert rows[1] == {
        "id": str(taxes.pk), "text": "We will cut taxes for everyone.", "kind": "direct",
        "said_on": "2021-03-01", "said_on_precision": "day", "speakers": "Jane Doe",
        "speaker_slugs": "jane-doe", "review_status": "extracted", "confidence": "0.9",
        "source_count": "2", "first_reported": rows[1]["first_reported"],
        "url": f"http://testserver/api/statements/{taxes.pk}/",
    }
    assert rows[1]["first_reported"].endswith("Z")
    assert datetime.datetime.fromisoformat(rows[1]["first_reported"]) == Statement.objects.get(
        pk=taxes.pk).first_reported_at


def test_jsonl_has_one_object_a_line_shaped_like_the_api(api_client, world):
    response = api_client.get(EXPORT, {"speaker": "jane-doe", "format": "jsonl"})

    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    assert response["Content-Disposition"].endswith('.jsonl"')
    rows = json_rows(response)
    listed = api_client.get(f"/api/statements/{world['taxes'].pk}/").json()
    assert rows[1] == {
        "id": listed["id"], "text": listed["text"], "kind": "direct", "said_on": "2021-03-01",
        "said_on_precision": "day", "speakers": [{"slug": "jane-doe", "name": "Jane Doe"}],
        "review_status": "extracted", "confidence": 0.9, "source_count": 2,
        "first_reported": listed["first_reported"], "url": f"http://testserver/api/statements/{listed['id']}/",
    }


def test_the_suffix_names_the_format_too(api_client, world):
    assert [row["id"] for row in json_rows(api_client.get("/api/statements/export.jsonl"))] == [
        world["finance"].pk, world["taxes"].pk, world["undated"].pk,
    ]
    assert len(csv_rows(api_client.get("/api/statements/export.csv"))) == 3


def test_csv_escapes_text_and_defuses_formulas(api_client, db):
    two = [SpeakerFactory(name="=HYPERLINK(1)", slug="a"), SpeakerFactory(name="Zed, Jr.", slug="z")]
    texts = ['=SUM(A1:A9)', '+1 more', '-5 degrees', '@cmd', '\tindented', 'She said "no",\nthen left.',
             'naïve – “quoted”', 'plain = fine']
    for day, text in enumerate(texts, start=1):
        StatementFactory(text=text, said_on=datetime.date(2025, 1, day), speakers=two)

    rows = csv_rows(api_client.get(EXPORT))

    assert [row["text"] for row in rows] == [
        "'=SUM(A1:A9)", "'+1 more", "'-5 degrees", "'@cmd", "'\tindented", 'She said "no",\nthen left.',
        'naïve – “quoted”', "plain = fine",
    ]
    assert {row["speakers"] for row in rows} == {"'=HYPERLINK(1); Zed, Jr."}
    assert {row["speaker_slugs"] for row in rows} == {"a; z"}
    # JSON Lines carry the text as it is.
    assert [row["text"] for row in json_rows(api_client.get(EXPORT, {"format": "jsonl"}))] == texts


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["finance", "taxes", "undated"]),
    ({"speaker": "jane-doe"}, ["finance", "taxes"]),
    ({"speaker": "john-roe"}, ["undated"]),
    ({"said_after": "2020-01-01"}, ["taxes"]),
    ({"said_before": "2020-01-01"}, ["finance"]),
    ({"speaker": "jane-doe", "said_after": "2020-01-01"}, ["taxes"]),
    ({"speaker": "jane-doe", "said_before": "2020-01-01"}, ["finance"]),
    ({"kind": "indirect"}, ["finance"]),
    ({"review_status": "rejected"}, ["rejected"]),
    ({"review_status": "extracted", "speaker": "john-roe"}, ["undated"]),
    ({"min_confidence": "0.95"}, []),
])
def test_filters_as_the_list_has_them_rejected_hidden(api_client, world, params, expected):
    for file_format in ("csv", "jsonl"):
        response = api_client.get(EXPORT, {**params, "format": file_format})
        rows = csv_rows(response) if file_format == "csv" else json_rows(response)
        assert [int(row["id"]) for row in rows] == [world[name].pk for name in expected]


@pytest.mark.parametrize("speaker", [None, "ann"])
def test_date_order_undated_last_across_batches(api_client, db, monkeypatch, speaker):
    monkeypatch.setattr(export, "BATCH_SIZE", 3)
    ann = SpeakerFactory(slug="ann")
    days = [5, None, 1, 3, None, 3, 2, 9, None, 4]
    made = [
        StatementFactory(speakers=[ann], said_on=datetime.date(2025, 1, day) if day else None,
                         said_on_precision="day" if day else "unknown")
        for day in days
    ]
    expected = sorted(made, key=lambda s: (s.said_on is None, s.said_on or datetime.date.min, s.pk))

    rows = json_rows(api_client.get(EXPORT, {"format": "jsonl", **({"speaker": speaker} if speaker else {})}))

    assert [row["id"] for row in rows] == [s.pk for s in expected]


def count_export_queries(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(EXPORT, params)
        rows = csv_rows(response)
    return len(rows), len(ctx.captured_queries)


@pytest.mark.parametrize("by_speaker", [False, True])
def test_queries_grow_with_batches_only(api_client, db, monkeypatch, by_speaker):
    monkeypatch.setattr(export, "BATCH_SIZE", 10)
    ann, bob = SpeakerFactory(slug="ann"), SpeakerFactory(slug="bob")
    params = {"speaker": "ann"} if by_speaker else {}

    def grow(n):
        for _ in range(n):
            StatementFactory(speakers=[ann, bob])

    grow(5)
    five = count_export_queries(api_client, **params)
    grow(4)
    nine = count_export_queries(api_client, **params)
    grow(41)
    fifty = count_export_queries(api_client, **params)

    assert (five[0], nine[0]) == (5, 9)
    assert nine[1] == five[1]  # one batch either way
    # Five full batches, each a read and its speakers, then the empty read that ends them.
    assert fifty == (50, five[1] + 4 * 2 + 1)
    assert five[1] <= 5  # (speaker slug), batch, its speakers, the undated segment


def test_it_streams_a_chunk_per_batch(api_client, db, monkeypatch):
    monkeypatch.setattr(export, "BATCH_SIZE", 4)
    StatementFactory.create_batch(12)

    response = api_client.get(EXPORT)

    assert response.status_code == 200
    assert response.streaming
    chunks = [chunk for chunk in response.streaming_content if chunk]
    assert len(chunks) >= 4  # the header, then three batches of rows
    assert [chunk.count(b"\r\n") for chunk in chunks[-3:]] == [4, 4, 4]


def test_anonymous_exports_stop_at_the_row_limit(api_client, user_client, db, monkeypatch):
    monkeypatch.setattr(export, "ANON_MAX_ROWS", 7)
    monkeypatch.setattr(export, "BATCH_SIZE", 3)
    StatementFactory.create_batch(10)

    response = api_client.get(EXPORT)
    assert response["X-Export-Row-Limit"] == "7"
    assert len(csv_rows(response)) == 7
    signed_in = user_client.get(EXPORT)
    assert "X-Export-Row-Limit" not in signed_in
    assert len(csv_rows(signed_in)) == 10


@pytest.mark.parametrize(("params", "field"), [
    ({"format": "xlsx"}, "format"),
    ({"format": "json"}, "format"),
    ({"q": "taxes"}, "q"),
    ({"search": "taxes"}, "search"),
    ({"said_after": "yesterday"}, "said_after"),
    ({"said_before": "2021-13-45"}, "said_before"),
    ({"kind": "shouted"}, "kind"),
    ({"review_status": "maybe"}, "review_status"),
    ({"speaker": "nobody-at-all"}, "speaker"),
    ({"min_confidence": "1.5"}, "min_confidence"),
])
def test_bad_parameters_are_400_json_before_any_row(api_client, world, params, field):
    response = api_client.get(EXPORT, params)

    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {field}


def test_unknown_suffix_is_a_400_too(api_client, world):
    response = api_client.get("/api/statements/export.xlsx")
    assert response.status_code == 400
    assert response.json()["errors"] == {"format": ["Export as one of: csv, jsonl."]}


def test_anonymous_exports_have_their_own_throttle(api_client, user_client, world, monkeypatch):
    throttle = export.ExportAnonRateThrottle
    assert throttle.scope == "export"
    monkeypatch.setattr(throttle, "THROTTLE_RATES", {**throttle.THROTTLE_RATES, "export": "2/hour"})

    assert [api_client.get(EXPORT).status_code for _ in range(3)] == [200, 200, 429]
    refused = api_client.get(EXPORT, {"format": "jsonl"})
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert api_client.get("/api/statements/").status_code == 200  # other reads are not counted
    assert user_client.get(EXPORT).status_code == 200  # signed-in users have the user rate


def test_export_rate_is_a_setting():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["export"] == "10/hour"


def test_schema_documents_the_export(api_client, db):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/statements/export/"]["get"]
    params = {p["name"] for p in operation["parameters"]}
    assert {"speaker", "said_after", "said_before", "kind", "review_status", "min_confidence",
            "format"} <= params
    assert not {"q", "search", "cursor", "page_size"} & params
    assert set(operation["responses"]["200"]["content"]) == {"text/csv", "application/x-ndjson"}
    assert {"400", "429"} <= set(operation["responses"])
