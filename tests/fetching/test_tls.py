"""HTTPS through the pinned address: the fetcher connects to the address it checked and asks
the server for the host name (TLS SNI), whose certificate it checks against that name.

A local HTTPS server on 127.0.0.1 holds certificates from a test authority (trustme), trusted
through SSL_CERT_FILE as the system's store would be: the fetcher's own code path, no switch
of its own for tests. Host names reach 127.0.0.1 through a stub resolver only.
"""

import ipaddress
import ssl
from unittest import mock

import pytest

from quotes.fetching.http import FetchFailed, Policy, Reason, fetch
from quotes.models import Article
from quotes.services.articles import article_fetch, article_submit_url
from tests.fetch_server import FixtureServer, Route

trustme = pytest.importorskip("trustme", reason="trustme is in requirements-dev.txt (make install)")

PAGE = b"<html><body><p>The quay reopens on Monday.</p></body></html>"
HTML = ("text/html",)
LOCAL = (ipaddress.ip_network("127.0.0.1/32"),)


@pytest.fixture(scope="module")
def authority():
    return trustme.CA()


@pytest.fixture
def trusted(authority, tmp_path, monkeypatch):
    """The test authority trusted as the system's (OpenSSL reads SSL_CERT_FILE at each new context)."""
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    return authority


def https_server(authority, *names: str) -> FixtureServer:
    """An HTTPS server with a certificate for ``names`` from ``authority``; ``.sni`` the names asked for."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(*names).configure_cert(context)
    asked = []
    context.sni_callback = lambda sock, name, ctx: asked.append(name)
    server = FixtureServer(tls=context)
    server.sni = asked
    return server


def resolver_once(address: str):
    """Answers ``address`` the first time, a private address after: a rebinding DNS."""
    calls = []

    def resolve(host, port):
        calls.append(host)
        return [address] if len(calls) == 1 else ["10.0.0.7"]

    resolve.calls = calls
    return resolve


def policy(resolver) -> Policy:
    return Policy(user_agent="QuoteTracker/test", allowed_networks=LOCAL, resolver=resolver)


def test_an_https_page_comes_from_the_pinned_address_with_the_hosts_name_for_sni_and_certificate(
    trusted, connections,
):
    resolve = resolver_once("127.0.0.1")
    with https_server(trusted, "news.test") as server:
        server.route("/story", Route(body=PAGE))
        answer = fetch(f"https://news.test:{server.port}/story", policy=policy(resolve), accept=HTML)
        assert (answer.status, answer.body) == (200, PAGE)
        assert server.sni == ["news.test"]  # the name asked for in the handshake
        assert server.requests[0][1]["Host"] == f"news.test:{server.port}"
    assert resolve.calls == ["news.test"]  # resolved once, no second answer to rebind to
    assert connections == ["127.0.0.1"]  # the address checked, connected to


@pytest.mark.parametrize(("names", "why"), [
    (("other.test",), "doesn't match 'other.test'"),  # a certificate for another host
    (("news.test",), "certificate verify failed"),  # from an authority nobody trusts
])
def test_a_certificate_not_for_the_host_or_from_no_trusted_authority_fails_cleanly(
    trusted, names, why, connections,
):
    authority = trusted if names == ("other.test",) else trustme.CA()
    with https_server(authority, *names) as server:
        url = server.route("/story", Route(body=PAGE)).replace("127.0.0.1", "news.test")
        with pytest.raises(FetchFailed) as failed:
            fetch(url, policy=policy(resolver_once("127.0.0.1")), accept=HTML)
        assert server.requests == []  # no request was sent over the untrusted connection
    assert failed.value.reason == Reason.TLS
    assert failed.value.message.startswith("news.test: no trusted TLS connection (")
    assert why in failed.value.message
    assert connections == ["127.0.0.1"]


@pytest.fixture
def https_site(trusted, test_hosts, settings):
    """news.test, an HTTPS site on 127.0.0.1 (FETCH_ALLOW_NETWORKS), certified by the trusted authority."""
    settings.FETCH_ALLOW_NETWORKS, settings.FETCH_PER_HOST_DELAY_MS = ["127.0.0.1"], 1
    test_hosts["news.test"] = test_hosts["wrong.test"] = "127.0.0.1"
    with https_server(trusted, "news.test") as server:
        yield server


STORY = (b"<html><head><title>Quay to reopen</title></head><body><article><p>"
         + b"The north quay will reopen to the ferries on Monday after the storm repairs, the port said. " * 2
         + b"</p></article></body></html>")


def submitted(url: str) -> Article:
    with mock.patch("quotes.tasks.fetch_article.delay"):
        return article_submit_url(url=url)


@pytest.mark.django_db
def test_an_article_is_fetched_over_https_by_its_host_name(https_site):
    https_site.route("/quay", Route(body=STORY))
    article = submitted(f"https://news.test:{https_site.port}/quay")
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING
    assert "north quay will reopen" in article.text
    assert [path for path, _ in https_site.requests] == ["/robots.txt", "/quay"]
    assert set(https_site.sni) == {"news.test"}


@pytest.mark.django_db
def test_an_article_whose_certificate_is_not_for_its_host_fails_with_the_reason(https_site, api_client):
    https_site.route("/quay", Route(body=STORY))
    article = submitted(f"https://wrong.test:{https_site.port}/quay")  # served with news.test's certificate
    article_fetch(article_id=article.pk)
    article.refresh_from_db()
    assert (article.extraction_status, article.fetch_reason) == (Article.Status.FAILED, "tls")
    assert article.extraction_error.startswith("wrong.test: no trusted TLS connection (")
    assert "Traceback" not in article.extraction_error and article.text == ""
    assert https_site.requests == []
    shown = api_client.get(f"/api/articles/{article.pk}/")
    assert shown.status_code == 200
    assert (shown.json()["extraction_status"], shown.json()["fetch_reason"]) == ("failed", "tls")
