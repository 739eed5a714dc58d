"""Review through the API: merge and split statements, merge speakers, settle duplicate pairs.

Through the URLs, as a client sees it: status, JSON body and the rows left
behind. Every write needs staff (401 JSON without credentials, 403 for non-staff); bad ids
are 400/404 JSON.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quotes.models import Appearance, DuplicateCandidate, Speaker, Statement
from quotes.normalize import statement_fingerprint
from tests.factories import AppearanceFactory, ArticleFactory, SpeakerFactory, StatementFactory

STATEMENTS = "/api/statements/"
DUPLICATES = "/api/duplicates/"


def statement(text, speakers=(), **kwargs):
    """A statement with the machine's fingerprint (its words plus these speakers)."""
    fingerprint = statement_fingerprint(text, [s.pk for s in speakers])
    return StatementFactory(text=text, fingerprint=fingerprint, speakers=list(speakers), **kwargs)


def pair_of(a, b, similarity=0.9, **kwargs):
    first, second = sorted([a, b], key=lambda s: s.pk)
    return DuplicateCandidate.objects.create(first=first, second=second, similarity=similarity, **kwargs)


@pytest.fixture
def echo(world):
    """John Roe reported saying Jane's words: the same statement, to be merged into 'taxes'."""
    st = statement("We will cut taxes for everyone!", [world["john"]])
    AppearanceFactory(statement=st, article=ArticleFactory(title="Echo"), start=0, end=10)
    return st


def error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


# --- Who may write --------------------------------------------------------------------------------


WRITES = [
    ("statement-merge", lambda w: (f"{STATEMENTS}{w['taxes'].pk}/merge/", {"others": [w["finance"].pk]})),
    ("statement-split", lambda w: (f"{STATEMENTS}{w['taxes'].pk}/split/",
                                   {"appearance_ids": [w["taxes"].appearances.first().pk]})),
    ("speaker-merge", lambda w: ("/api/speakers/jane-doe/merge/", {"others": ["john-roe"]})),
    ("duplicate-merge", lambda w: (f"{DUPLICATES}{w['pair'].pk}/merge/", {})),
    ("duplicate-dismiss", lambda w: (f"{DUPLICATES}{w['pair'].pk}/dismiss/", {})),
]


REFUSALS = {"api_client": (401, "not_authenticated"), "user_client": (403, "permission_denied")}


@pytest.mark.parametrize("client_name", ["api_client", "user_client"])
@pytest.mark.parametrize(("name", "request_for"), WRITES, ids=[w[0] for w in WRITES])
def test_writes_need_staff(request, world, client_name, name, request_for):
    world["pair"] = pair_of(world["taxes"], world["finance"])
    client = request.getfixturevalue(client_name)
    path, body = request_for(world)

    response = client.post(path, body, format="json")

    error(response, *REFUSALS[client_name])
    assert Statement.objects.count() == 4 and Speaker.objects.count() == 2
    assert DuplicateCandidate.objects.get().status == DuplicateCandidate.Status.OPEN


LIST_BODIED = WRITES[:3] + [  # their bodies hold lists
    ("statement-edit", lambda w: (f"{STATEMENTS}{w['taxes'].pk}/", {"speakers": ["john-roe"]})),
]


@pytest.mark.parametrize("encoding", ["multipart", "form"])
@pytest.mark.parametrize(("name", "request_for"), LIST_BODIED, ids=[w[0] for w in LIST_BODIED])
def test_list_bodied_acts_read_json_alone(staff_client, world, encoding, name, request_for):
    """A form cannot tell one id from a list of one id: such a body is a 415, and nothing moves."""
    path, body = request_for(world)
    before = sorted(Statement.objects.values_list("pk", "text", "fingerprint"))

    send = staff_client.patch if name == "statement-edit" else staff_client.post
    if encoding == "multipart":
        response = send(path, body, format="multipart")
    else:
        (key, [value]), = body.items()
        response = send(path, f"{key}={value}", content_type="application/x-www-form-urlencoded")

    error(response, 415, "unsupported_media_type")
    assert sorted(Statement.objects.values_list("pk", "text", "fingerprint")) == before
    assert Speaker.objects.count() == 2
    assert send(path, body, format="json").status_code in (200, 201)  # JSON still does


@pytest.mark.parametrize("client_name", ["api_client", "user_client"])
def test_the_duplicates_queue_is_staff_only(request, world, client_name):
    pair = pair_of(world["taxes"], world["finance"])
    client = request.getfixturevalue(client_name)
    for path in (DUPLICATES, f"{DUPLICATES}{pair.pk}/"):
        error(client.get(path), *REFUSALS[client_name])


# --- Merging statements ---------------------------------------------------------------------------


def test_merge_statements(staff_client, staff_user, world, echo):
    taxes = world["taxes"]

    response = staff_client.post(f"{STATEMENTS}{taxes.pk}/merge/", {"others": [echo.pk]}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == taxes.pk
    assert body["text"] == "We will cut taxes for everyone."
    assert body["source_count"] == 3
    assert [s["slug"] for s in body["speakers"]] == ["jane-doe", "john-roe"]
    assert not Statement.objects.filter(pk=echo.pk).exists()
    assert Appearance.objects.filter(statement=taxes).count() == 3
    taxes.refresh_from_db()
    assert taxes.edited and taxes.reviewed_by == staff_user
    assert taxes.history.first().history_user == staff_user


def test_merging_a_statement_into_itself_is_a_400(staff_client, world):
    taxes = world["taxes"]
    response = staff_client.post(f"{STATEMENTS}{taxes.pk}/merge/", {"others": [taxes.pk]}, format="json")
    body = error(response, 400, "invalid")
    assert body["detail"] == "A statement cannot be merged into itself."
    assert Statement.objects.filter(pk=taxes.pk).exists()


@pytest.mark.parametrize(("payload", "field_error"), [
    ({"others": []}, False),
    ({"others": [999999]}, True),
    ({"others": ["abc"]}, True),
    ({"others": [0]}, True),
    ({"others": "12"}, True),
    ({}, True),
])
def test_merge_refuses_bad_others(staff_client, world, payload, field_error):
    response = staff_client.post(f"{STATEMENTS}{world['taxes'].pk}/merge/", payload, format="json")
    body = error(response, 400, "invalid")
    if field_error:
        assert "others" in body["errors"]
    assert Statement.objects.count() == 4


def test_merge_names_the_missing_statements(staff_client, world):
    response = staff_client.post(
        f"{STATEMENTS}{world['taxes'].pk}/merge/", {"others": [world["finance"].pk, 999999]}, format="json",
    )
    assert error(response, 400, "invalid")["errors"] == {"others": ["No statement with id 999999."]}
    assert Statement.objects.filter(pk=world["finance"].pk).exists()


@pytest.mark.parametrize("target", ["999999", "abc"])
def test_merge_into_a_missing_statement_is_a_404(staff_client, world, target):
    body = {"others": [world["finance"].pk]}
    response = staff_client.post(f"{STATEMENTS}{target}/merge/", body, format="json")
    error(response, 404, "not_found")


def test_merge_conflict_is_a_409_and_changes_nothing(staff_client, world):
    jane, john = world["jane"], world["john"]
    target, other = statement("We will win the vote.", [jane]), statement("We will win the vote!", [john])
    # Jane and John together already said these words: merging would make a second copy.
    twin = statement("we will win the vote", [jane, john])

    response = staff_client.post(f"{STATEMENTS}{target.pk}/merge/", {"others": [other.pk]}, format="json")

    assert error(response, 409, "conflict")["statement_id"] == twin.pk
    assert Statement.objects.filter(pk=other.pk).exists()
    assert list(target.speakers.all()) == [jane]


# --- Splitting a statement ------------------------------------------------------------------------


def test_split_statement(staff_client, staff_user, world):
    taxes = world["taxes"]
    stays, goes = taxes.appearances.order_by("article__published_at")

    body = {"appearance_ids": [goes.pk]}
    response = staff_client.post(f"{STATEMENTS}{taxes.pk}/split/", body, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    new = Statement.objects.get(pk=body["id"])
    assert response["Location"].endswith(f"{STATEMENTS}{new.pk}/")
    assert body["text"] == taxes.text
    assert [a["id"] for a in body["appearances"]] == [goes.pk]
    assert [s["slug"] for s in body["speakers"]] == ["jane-doe"]
    assert list(taxes.appearances.all()) == [stays]
    assert new.edited and new.history.first().history_user == staff_user
    taxes.refresh_from_db()
    assert taxes.edited and taxes.history.first().history_user == staff_user


def test_split_uses_the_appearance_ids_the_api_shows(staff_client, world):
    shown = staff_client.get(f"{STATEMENTS}{world['taxes'].pk}/").json()["appearances"]
    response = staff_client.post(
        f"{STATEMENTS}{world['taxes'].pk}/split/", {"appearance_ids": [shown[0]["id"]]}, format="json",
    )
    assert response.status_code == 201
    assert response.json()["appearances"][0]["article"] == shown[0]["article"]


@pytest.mark.parametrize(("which", "detail"), [
    ("none", "Name the appearances to split off."),
    ("all", "Splitting off every appearance would leave the statement empty."),
    ("foreign", "Those appearances are not all of this statement."),
    ("missing", "Those appearances are not all of this statement."),
])
def test_split_refuses_none_all_or_foreign_appearances(staff_client, world, which, detail):
    taxes = world["taxes"]
    own = list(taxes.appearances.values_list("pk", flat=True))
    foreign = world["finance"].appearances.get().pk
    ids = {"none": [], "all": own, "foreign": [own[0], foreign], "missing": [own[0], 999999]}[which]

    response = staff_client.post(f"{STATEMENTS}{taxes.pk}/split/", {"appearance_ids": ids}, format="json")

    assert error(response, 400, "invalid")["detail"] == detail
    assert Statement.objects.count() == 4
    assert taxes.appearances.count() == 2


@pytest.mark.parametrize("payload", [{"appearance_ids": ["x"]}, {"appearance_ids": 3}, {}])
def test_split_refuses_a_malformed_body(staff_client, world, payload):
    response = staff_client.post(f"{STATEMENTS}{world['taxes'].pk}/split/", payload, format="json")
    assert "appearance_ids" in error(response, 400, "invalid")["errors"]


def test_split_of_a_missing_statement_is_a_404(staff_client, world):
    response = staff_client.post(f"{STATEMENTS}999999/split/", {"appearance_ids": [1]}, format="json")
    error(response, 404, "not_found")


# --- Merging speakers -----------------------------------------------------------------------------


def test_merge_speakers(staff_client, staff_user, world):
    response = staff_client.post("/api/speakers/jane-doe/merge/", {"others": ["john-roe"]}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["slug"] == "jane-doe"
    assert body["statement_count"] == 3  # taxes, finance and John's undated one; not the rejected one
    assert "John Roe" in [a["name"] for a in body["aliases"]]
    assert not Speaker.objects.filter(slug="john-roe").exists()
    assert list(world["undated"].speakers.all()) == [world["jane"]]
    world["jane"].refresh_from_db()
    assert world["jane"].history.first().history_user == staff_user


@pytest.mark.parametrize(("others", "status", "code"), [
    (["jane-doe"], 400, "invalid"),
    (["nobody-here"], 400, "invalid"),
    (["not a slug!"], 400, "invalid"),
    ([], 400, "invalid"),
])
def test_merge_speakers_refuses_bad_others(staff_client, world, others, status, code):
    response = staff_client.post("/api/speakers/jane-doe/merge/", {"others": others}, format="json")
    error(response, status, code)
    assert Speaker.objects.count() == 2


def test_merge_speakers_names_the_missing_slug(staff_client, world):
    response = staff_client.post(
        "/api/speakers/jane-doe/merge/", {"others": ["john-roe", "nobody-here"]}, format="json",
    )
    assert error(response, 400, "invalid")["errors"] == {"others": ["No speaker with slug nobody-here."]}
    assert Speaker.objects.filter(slug="john-roe").exists()


def test_merge_into_a_missing_speaker_is_a_404(staff_client, world):
    response = staff_client.post("/api/speakers/nobody-here/merge/", {"others": ["john-roe"]}, format="json")
    error(response, 404, "not_found")


# --- Duplicate pairs ------------------------------------------------------------------------------


@pytest.fixture
def pairs(world, echo):
    taxes = world["taxes"]
    open_pair = pair_of(taxes, echo, similarity=0.95)
    dismissed = pair_of(taxes, world["finance"], similarity=0.7, status=DuplicateCandidate.Status.DISMISSED)
    return {"open": open_pair, "dismissed": dismissed, "echo": echo}


def test_duplicates_list_shows_open_pairs_by_default(staff_client, world, pairs):
    response = staff_client.get(DUPLICATES)

    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 1
    row = body["results"][0]
    assert (row["id"], row["status"], row["similarity"]) == (pairs["open"].pk, "open", 0.95)
    assert row["first"] == {
        "id": world["taxes"].pk, "text": "We will cut taxes for everyone.", "kind": "direct",
        "said_on": "2021-03-01", "said_on_precision": "day", "review_status": "extracted",
        "speakers": [{"slug": "jane-doe", "name": "Jane Doe"}],
    }
    assert row["second"]["speakers"] == [{"slug": "john-roe", "name": "John Roe"}]


def test_duplicates_list_filters(staff_client, world, pairs):
    def listed(**params):
        response = staff_client.get(DUPLICATES, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert listed(status="dismissed") == [pairs["dismissed"].pk]
    assert listed(status="merged") == []
    assert listed(statement=world["finance"].pk, status="dismissed") == [pairs["dismissed"].pk]
    assert listed(statement=world["finance"].pk) == []  # open by default
    assert listed(statement=pairs["echo"].pk) == [pairs["open"].pk]


def test_duplicates_list_refuses_an_unknown_status(staff_client, pairs):
    assert "status" in error(staff_client.get(DUPLICATES, {"status": "maybe"}), 400, "invalid")["errors"]


def test_duplicates_list_query_count_is_constant(staff_client, db):
    def grow(n):
        for _ in range(n):
            a = StatementFactory(speakers=[SpeakerFactory()])
            pair_of(a, StatementFactory(speakers=[SpeakerFactory()]))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(DUPLICATES).status_code == 200
        return len(ctx.captured_queries)

    grow(2)
    count()  # the user's permissions are read once, then cached on the user
    few = count()
    grow(10)
    assert count() == few


def test_a_resolved_pair_is_still_readable(staff_client, pairs):
    response = staff_client.get(f"{DUPLICATES}{pairs['dismissed'].pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"


def test_merge_a_duplicate_pair(staff_client, staff_user, world, pairs):
    response = staff_client.post(f"{DUPLICATES}{pairs['open'].pk}/merge/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == world["taxes"].pk  # the older one is kept
    assert body["source_count"] == 3
    assert not Statement.objects.filter(pk=pairs["echo"].pk).exists()
    assert not DuplicateCandidate.objects.filter(pk=pairs["open"].pk).exists()  # went with the statement
    assert world["taxes"].history.first().history_user == staff_user


def test_dismiss_a_duplicate_pair(staff_client, pairs):
    response = staff_client.post(f"{DUPLICATES}{pairs['open'].pk}/dismiss/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "dismissed"
    pairs["open"].refresh_from_db()
    assert pairs["open"].status == DuplicateCandidate.Status.DISMISSED
    assert Statement.objects.filter(pk=pairs["echo"].pk).exists()


@pytest.mark.parametrize("verb", ["merge", "dismiss"])
def test_resolving_a_resolved_pair_is_a_409(staff_client, pairs, verb):
    response = staff_client.post(f"{DUPLICATES}{pairs['dismissed'].pk}/{verb}/")
    assert error(response, 409, "conflict")["detail"] == "This pair has already been resolved."
    assert Statement.objects.count() == 5


@pytest.mark.parametrize("pk", ["999999", "abc"])
@pytest.mark.parametrize("verb", ["merge", "dismiss"])
def test_resolving_a_missing_pair_is_a_404(staff_client, world, pk, verb):
    error(staff_client.post(f"{DUPLICATES}{pk}/{verb}/"), 404, "not_found")


# --- The schema ----------------------------------------------------------------------------------


def test_schema_documents_the_review_endpoints(api_client, db):
    paths = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    for path in ("/api/statements/{id}/merge/", "/api/statements/{id}/split/", "/api/speakers/{slug}/merge/",
                 "/api/duplicates/", "/api/duplicates/{id}/merge/", "/api/duplicates/{id}/dismiss/"):
        assert path in paths, path
    split = paths["/api/statements/{id}/split/"]["post"]
    assert set(split["responses"]) >= {"201", "400", "401", "403", "404"}
    merge = paths["/api/statements/{id}/merge/"]["post"]
    assert set(merge["responses"]) >= {"200", "400", "401", "403", "404", "409", "415"}
    for path, verb in (("/api/statements/{id}/merge/", "post"), ("/api/statements/{id}/split/", "post"),
                       ("/api/speakers/{slug}/merge/", "post"), ("/api/statements/{id}/", "patch")):
        assert list(paths[path][verb]["requestBody"]["content"]) == ["application/json"], path
