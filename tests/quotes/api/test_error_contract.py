"""The error contract under /api/: every 4xx is JSON ``{"detail", "code"}``, whatever went wrong.

Non-integer and unknown ids on every resource and action, URLs no route matches, bad pages.
"""

import pytest

pytestmark = pytest.mark.django_db

RESOURCES = ["statements", "articles", "speakers", "duplicates"]


def assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    if code is not None:
        assert body["code"] == code
    return body


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("key", ["abc", "1.5", "-1", "99999999999999999999999", "%00", "0x10", "999999"])
def test_a_bad_or_unknown_id_is_a_json_404(admin_client, resource, key):
    assert_json_error(admin_client.get(f"/api/{resource}/{key}/"), 404, "not_found")


@pytest.mark.parametrize("path", [
    "/api/statements/abc/verify/", "/api/statements/1.5/reject/", "/api/statements/x/merge/",
    "/api/statements/x/split/", "/api/articles/abc/extract/", "/api/speakers/nobody/merge/",
    "/api/duplicates/abc/merge/", "/api/duplicates/abc/dismiss/",
])
def test_an_action_on_a_bad_id_is_a_json_404(admin_client, path):
    assert_json_error(admin_client.post(path, {}, content_type="application/json"), 404, "not_found")


@pytest.mark.parametrize("path", [
    "/api/nope/", "/api/statements/1/nope/", "/api/statements/abc/nope/", "/api/auth/", "/api/schema/x/",
])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_url_no_route_matches_is_a_json_404(client, path, method):
    assert_json_error(getattr(client, method)(path), 404, "not_found")


def test_outside_the_api_a_missing_page_stays_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("resource", ["statements", "articles", "speakers"])
@pytest.mark.parametrize("query", ["cursor=zzz", "cursor=", "page=2", "page=abc"])
def test_a_bad_page_is_a_json_400(client, resource, query):
    response = client.get(f"/api/{resource}/?{query}")
    if query == "cursor=":  # an empty cursor is the first page
        assert response.status_code == 200
    else:
        assert_json_error(response, 400, "invalid")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_method_a_resource_lacks_is_a_json_405(admin_client, method):
    assert_json_error(getattr(admin_client, method)("/api/statements/"), 405, "method_not_allowed")


@pytest.mark.parametrize(("path", "form"), [
    ("/api/articles/", {"url": "https://news.example/a", "published_at": ""}),  # not "no date given"
    ("/api/feeds/", {"url": "https://news.example/feed.xml", "outlet": ""}),  # not "no outlet"
])
def test_a_form_field_sent_empty_is_refused_as_its_schema_says(admin_client, path, form):
    body = assert_json_error(admin_client.post(path, form), 400)
    assert set(body["errors"]) == set(form) - {"url"}


def test_an_article_never_fetched_has_an_empty_fetch_reason_the_schema_allows(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    article = schema["components"]["schemas"]["Article"]["properties"]
    assert "" in _enum(schema, article["fetch_reason"]) and "" in _enum(schema, article["extraction_error"])


def _enum(schema: dict, prop: dict) -> list:
    """A property's enum, followed through drf-spectacular's $ref/oneOf/allOf wrappers."""
    found = list(prop.get("enum", []))
    for key in ("oneOf", "allOf", "anyOf"):
        for part in prop.get(key, []):
            found += _enum(schema, part)
    if "$ref" in prop:
        found += _enum(schema, schema["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]])
    return found


def test_a_feeds_outlet_sent_empty_in_json_is_refused_too(admin_client):
    response = admin_client.post("/api/feeds/", {"url": "https://news.example/feed.xml", "outlet": ""},
                                 content_type="application/json")
    assert assert_json_error(response, 400)["errors"].keys() == {"outlet"}


def test_an_article_by_url_with_a_title_sent_empty_is_refused(admin_client):
    response = admin_client.post("/api/articles/", {"url": "https://news.example/b", "title": ""})
    assert assert_json_error(response, 400)["errors"].keys() == {"title"}


def test_a_feeds_change_to_a_stored_url_is_a_declared_409(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "409" in schema["paths"]["/api/feeds/{id}/"]["patch"]["responses"]
    for url in ("https://news.example/one.xml", "https://news.example/two.xml"):
        created = admin_client.post("/api/feeds/", {"url": url}, content_type="application/json")
        assert created.status_code == 201
    second = admin_client.get("/api/feeds/").json()["results"]
    pk = next(f["id"] for f in second if f["url"].endswith("two.xml"))
    response = admin_client.patch(f"/api/feeds/{pk}/", {"url": "https://news.example/one.xml"},
                                  content_type="application/json")
    assert_json_error(response, 409)


@pytest.mark.parametrize("body", [{}, {"x-unknown": 1}])
def test_a_feeds_change_that_names_nothing_is_a_400(admin_client, body):
    as_json = {"content_type": "application/json"}
    created = admin_client.post("/api/feeds/", {"url": "https://news.example/f.xml"}, **as_json)
    response = admin_client.patch(f"/api/feeds/{created.json()['id']}/", body, **as_json)
    assert "Send at least one of" in str(assert_json_error(response, 400))
