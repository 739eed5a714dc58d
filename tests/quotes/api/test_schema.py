"""The OpenAPI schema and its docs page, which must work with no internet access."""

import re

from django.core.management import call_command


def test_schema_is_openapi_3(api_client, db):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/api/speakers/{slug}/", "/api/statements/{id}/verify/", "/api/articles/{id}/extract/",
                 "/api/auth/token/"):
        assert path in paths
    params = {p["name"] for p in paths["/api/statements/"]["get"]["parameters"]}
    assert {"speaker", "said_after", "said_before", "kind", "review_status", "min_confidence", "q", "search",
            "ordering", "cursor", "page_size"} <= params
    assert "page" not in params  # pages go by cursor; ?page= is a 400
    listed = paths["/api/statements/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "count" not in str(listed)
    floor = next(p for p in paths["/api/statements/"]["get"]["parameters"] if p["name"] == "min_confidence")
    assert floor["schema"] == {"type": "number", "minimum": 0, "maximum": 1}
    assert "verified" in floor["description"]
    assert set(paths["/api/articles/"]["post"]["responses"]) >= {"202", "400", "401", "403", "409", "413"}
    ordering = next(p for p in paths["/api/statements/"]["get"]["parameters"] if p["name"] == "ordering")
    assert set(ordering["schema"]["enum"]) == {"said_on", "-said_on", "first_reported", "-first_reported"}


def test_schema_generates_without_warnings(db, tmp_path):
    # --fail-on-warn raises on any warning; --validate checks it against the OpenAPI spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")


def test_docs_page_loads_nothing_from_the_internet(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html) == []
    assert re.findall(r"https?://(?!testserver)", html) == []


def test_schema_documents_how_each_report_was_read(api_client, db):
    """Issue #13: the relay, the date's method and evidence, each report's kind and confidence."""
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schemas = schema["components"]["schemas"]
    wanted = {"reported_via", "said_on_method", "date_evidence", "kind", "confidence", "pieces"}
    assert wanted <= set(schemas["Appearance"]["properties"])
    assert "said_on_method" in schemas["Statement"]["properties"]
