"""The speakers API: lookup by slug, aliases, roles, counts and search."""

import pytest

from tests.factories import SpeakerAliasFactory, SpeakerFactory

LIST = "/api/speakers/"


def test_detail_by_slug(api_client, world):
    response = api_client.get(f"{LIST}jane-doe/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Jane Doe"
    assert body["slug"] == "jane-doe"
    assert body["description"] == "Prime Minister of Ruritania"
    assert body["wikidata_qid"] is None
    assert body["reviewed"] is True
    assert body["statement_count"] == 2
    assert body["timeline_url"] == "http://testserver/speakers/jane-doe/"
    assert api_client.get(body["timeline_url"]).status_code == 200
    assert {"name": "the Ruritanian prime minister", "kind": "role_phrase", "language": "en",
            "valid_from": "2020-01-01", "valid_to": None} in body["aliases"]
    assert body["roles"] == [
        {"title": "Prime Minister", "organization": "Ruritania", "start": "2020-01-01", "end": None},
        {"title": "Minister of Finance", "organization": "Ruritania", "start": "2015-01-01",
         "end": "2019-12-31"},
    ]


def test_rejected_statements_are_not_counted(api_client, world):
    assert api_client.get(f"{LIST}john-roe/").json()["statement_count"] == 1


def test_unknown_slug_is_404_json(api_client, db):
    response = api_client.get(f"{LIST}nobody-at-all/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_list_is_paginated_and_sorted_by_name(api_client, world):
    body = api_client.get(LIST).json()
    assert body["next"] is None and "count" not in body
    assert [s["slug"] for s in body["results"]] == ["jane-doe", "john-roe"]


@pytest.mark.parametrize(("term", "expected"), [
    ("jane", ["jane-doe"]),
    ("ROE", ["john-roe"]),
    ("prime minister", ["jane-doe"]),  # an alias, matched once despite two aliases
    ("nobody", []),
])
def test_search_by_name_or_alias(api_client, world, term, expected):
    response = api_client.get(LIST, {"search": term})

    assert response.status_code == 200
    assert [s["slug"] for s in response.json()["results"]] == expected


def test_search_does_not_duplicate_or_miscount(api_client, db):
    kim = SpeakerFactory(name="Kim Jong Un", slug="kim-jong-un")
    SpeakerAliasFactory(speaker=kim, name="Kim")
    SpeakerAliasFactory(speaker=kim, name="Kim Jong-un")
    body = api_client.get(LIST, {"search": "kim"}).json()
    assert len(body["results"]) == 1
    assert body["results"][0]["statement_count"] == 0
    assert len(body["results"][0]["aliases"]) == 2


def test_speakers_are_read_only(staff_client, world):
    assert staff_client.post(LIST, {"name": "X"}).status_code == 405
    assert staff_client.delete(f"{LIST}jane-doe/").status_code == 405


@pytest.mark.parametrize("term", ["x" * 201, " ".join(f"w{i}" for i in range(21))])
def test_search_beyond_the_caps_is_a_400_json(api_client, db, term):
    response = api_client.get(LIST, {"search": term})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "at most" in str(response.json())


def test_search_counts_a_repeated_word_once(api_client, world):
    repeated = " ".join(["Jane"] * 30)  # 30 words, one different
    response = api_client.get(LIST, {"search": repeated})
    assert response.status_code == 200
    assert response.json()["results"] == api_client.get(LIST, {"search": "jane"}).json()["results"] != []
