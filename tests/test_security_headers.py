"""Every page and API answer carries the security headers: CSP, nosniff, Referrer-Policy, no framing."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/speakers/", "/api/statements/", "/api/docs/", "/admin/login/"])
def test_security_headers_on_every_kind_of_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy + ";"  # no inline script, no other origin


def test_the_api_docs_page_runs_no_inline_script(client):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts)
