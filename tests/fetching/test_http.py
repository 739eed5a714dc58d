"""quotes.fetching.http: one GET under the SSRF rules, against a local server of the test's own.

Nothing here connects outside 127.0.0.0/8: private, link-local and other addresses are
given by a stub resolver, and the refusal is asserted to come before any connection.
"""

import gzip
import ipaddress

import pytest

from quotes.fetching.http import FetchFailed, FetchRefused, Policy, Reason, fetch
from tests.fetch_server import FixtureServer, Route

HTML = ("text/html",)
PAGE = b"<html><body><p>The quay reopens on Monday.</p></body></html>"
LOCAL = (ipaddress.ip_network("127.0.0.1/32"),)


def policy(resolver=None, **fields) -> Policy:
    values = {"user_agent": "QuoteTracker/test (+ops@quotes.example)", "allowed_networks": LOCAL}
    if resolver is not None:
        values["resolver"] = resolver
    return Policy(**{**values, **fields})


def stub(mapping: dict[str, list[str]]):
    calls = []

    def resolve(host, port):
        calls.append(host)
        return mapping[host]

    resolve.calls = calls
    return resolve


@pytest.fixture
def server():
    with FixtureServer() as running:
        yield running


def test_a_page_is_fetched_with_the_projects_user_agent(server, connections):
    url = server.route("/story", Route(body=PAGE))
    answer = fetch(url, policy=policy(), accept=HTML)
    assert (answer.status, answer.body) == (200, PAGE)
    assert (answer.content_type, answer.charset) == ("text/html", "utf-8")
    assert server.requests[0][1]["User-Agent"] == "QuoteTracker/test (+ops@quotes.example)"
    assert connections == ["127.0.0.1"]


def test_a_name_is_connected_to_at_the_address_checked_with_its_own_host_header(server, connections):
    server.route("/story", Route(body=PAGE))
    # A rebinding resolver: the allowed address first, a private one on any later look-up.
    answers = iter([["127.0.0.1"]])
    resolver_calls = []

    def rebinding(host, port):
        resolver_calls.append(host)
        return next(answers, ["10.0.0.7"])

    answer = fetch(f"http://news.test:{server.port}/story", policy=policy(rebinding), accept=HTML)
    assert answer.body == PAGE
    assert resolver_calls == ["news.test"]  # looked up once: no second answer to rebind to
    assert connections == ["127.0.0.1"]
    assert server.requests[0][1]["Host"] == f"news.test:{server.port}"


@pytest.mark.parametrize("address", [
    "10.1.2.3", "172.16.9.9", "172.31.255.1", "192.168.0.10",  # private
    "169.254.169.254", "169.254.1.1",  # link-local, cloud metadata
    "100.64.0.1", "100.127.255.254",  # carrier-grade NAT
    "224.0.0.1", "239.255.255.250",  # multicast
    "240.0.0.1", "255.255.255.255",  # reserved, broadcast
    "0.0.0.0", "127.0.0.1", "127.8.8.8",  # unspecified, loopback  # noqa: S104 - refused, not bound
    "::", "::1", "fe80::1", "fc00::5", "fd12:3456::1", "ff02::1",  # the IPv6 equivalents
    "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:8.8.8.8",  # IPv4-mapped, whatever it maps to
])
def test_a_name_resolving_to_a_blocked_address_is_refused_before_any_connection(address, connections):
    resolver = stub({"intranet.test": [address]})
    with pytest.raises(FetchRefused) as refused:
        fetch("http://intranet.test/admin", policy=policy(resolver, allowed_networks=()), accept=HTML)
    assert refused.value.reason == Reason.BLOCKED
    assert str(ipaddress.ip_address(address)) in refused.value.message
    assert connections == []


def test_one_blocked_address_among_several_refuses_the_name(connections):
    resolver = stub({"mixed.test": ["93.184.215.14", "10.0.0.1"]})
    with pytest.raises(FetchRefused, match="private"):
        fetch("https://mixed.test/", policy=policy(resolver), accept=HTML)
    assert connections == []


@pytest.mark.parametrize("host", [
    "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "0177.1", "127.1", "[::ffff:127.0.0.1]",
    "[::1]", "0", "0x0a.0x0.0x0.0x1", "012.0.0.1", "3232235521",
])
def test_ip_literals_in_any_spelling_are_checked_without_a_lookup(host, connections):
    resolver = stub({})
    with pytest.raises(FetchRefused, match="address"):
        fetch(f"http://{host}/", policy=policy(resolver, allowed_networks=()), accept=HTML)
    assert resolver.calls == [] and connections == []


@pytest.mark.parametrize("url", [
    "ftp://files.test/a", "file:///etc/passwd", "gopher://news.test/", "javascript:alert(1)", "//news.test/x",
    "http://user:secret@news.test/", "http:///nohost",
])
def test_only_http_and_https_urls_with_a_host_are_fetched(url, connections):
    with pytest.raises(FetchRefused):
        fetch(url, policy=policy(stub({"news.test": ["93.184.215.14"]})), accept=HTML)
    assert connections == []


def test_ports_other_than_80_and_443_are_refused_unless_allowed(connections):
    resolver = stub({"news.test": ["93.184.215.14"]})
    with pytest.raises(FetchRefused, match="port 22"):
        fetch("http://news.test:22/", policy=policy(resolver), accept=HTML)
    with pytest.raises(FetchRefused, match="port 6379"):
        fetch("http://news.test:6379/", policy=policy(resolver), accept=HTML)
    assert connections == []


def test_a_refused_loopback_address_is_never_connected_to(connections):
    # A real server on 127.0.0.2, while only 127.0.0.1 is allowed: it must see no request.
    with FixtureServer(host="127.0.0.2") as other:
        url = other.route("/", Route(body=PAGE))
        with pytest.raises(FetchRefused, match="loopback"):
            fetch(url, policy=policy(), accept=HTML)
        assert other.requests == []
    assert connections == []


def test_an_allowed_host_name_skips_the_address_rules(server):
    server.route("/story", Route(body=PAGE))
    resolver = stub({"wiki.intranet.test": ["127.0.0.1"]})
    allowed = policy(resolver, allowed_networks=(), allowed_hosts=frozenset({"wiki.intranet.test"}))
    assert fetch(f"http://wiki.intranet.test:{server.port}/story", policy=allowed, accept=HTML).body == PAGE


def test_every_redirect_is_checked_and_a_blocked_target_is_not_fetched(server, connections):
    url = server.route("/r", Route(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}))
    with pytest.raises(FetchRefused, match="link-local"):
        fetch(url, policy=policy(), accept=HTML)
    assert connections == ["127.0.0.1"]
    assert [path for path, _ in server.requests] == ["/r"]


def test_a_redirect_to_a_refused_loopback_address_is_refused(server):
    with FixtureServer(host="127.0.0.2") as other:
        target = other.route("/", Route(body=PAGE))
        url = server.route("/r", Route(status=301, headers={"Location": target}))
        with pytest.raises(FetchRefused):
            fetch(url, policy=policy(), accept=HTML)
        assert other.requests == []


def test_five_redirects_are_followed_and_a_sixth_is_not(server):
    for hop in range(6):
        server.route(f"/hop{hop}", Route(status=307, headers={"Location": f"/hop{hop + 1}"}))
    server.route("/hop6", Route(body=PAGE))
    answer = fetch(server.url("/hop1"), policy=policy(), accept=HTML)  # five redirects
    assert answer.body == PAGE and answer.url == server.url("/hop6")
    with pytest.raises(FetchFailed, match="more than 5 redirects"):
        fetch(server.url("/hop0"), policy=policy(), accept=HTML)


@pytest.mark.parametrize("status", [404, 500, 403])
def test_an_error_status_fails_with_it(server, status):
    url = server.route("/e", Route(status=status, body=b"<html>no</html>"))
    with pytest.raises(FetchFailed) as failed:
        fetch(url, policy=policy(), accept=HTML)
    assert (failed.value.reason, failed.value.status) == (Reason.HTTP_STATUS, status)


def test_a_page_that_is_not_html_is_not_read(server):
    url = server.route("/f.pdf", Route(body=b"%PDF-1.7", content_type="application/pdf"))
    with pytest.raises(FetchFailed) as failed:
        fetch(url, policy=policy(), accept=HTML)
    assert failed.value.reason == Reason.NOT_HTML


def test_a_body_over_the_cap_stops_at_the_cap(server):
    url = server.route("/big", Route(body=b"<p>" + b"x" * 300_000))
    with pytest.raises(FetchFailed) as failed:
        fetch(url, policy=policy(max_bytes=100_000), accept=HTML)
    assert failed.value.reason == Reason.TOO_LARGE
    assert fetch(url, policy=policy(max_bytes=400_000), accept=HTML).body.startswith(b"<p>x")


def test_a_gzip_bomb_stops_at_the_cap_counted_after_decompression(server):
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # 200 MB in about 200 KB
    assert len(bomb) < 1024 * 1024
    url = server.route("/bomb", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchFailed) as failed:
        fetch(url, policy=policy(max_bytes=1024 * 1024), accept=HTML)
    assert failed.value.reason == Reason.TOO_LARGE


def test_a_compressed_page_under_the_cap_is_decompressed(server):
    url = server.route("/gz", Route(body=gzip.compress(PAGE), headers={"Content-Encoding": "gzip"}))
    assert fetch(url, policy=policy(), accept=HTML).body == PAGE


def test_a_slow_answer_is_cut_off_at_the_total_time_limit(server):
    # Each piece arrives well within any per-read timeout; the whole takes 4 s.
    url = server.route("/slow", Route(body=PAGE * 8, pieces=8, dribble=0.5))
    with pytest.raises(FetchFailed) as failed:
        fetch(url, policy=policy(total_seconds=1.0), accept=HTML)
    assert failed.value.reason == Reason.TIMEOUT


def test_a_conditional_get_answers_304_with_no_body(server):
    url = server.route("/feed", Route(body=b"<rss/>", content_type="application/rss+xml", etag='"v1"'))
    answer = fetch(url, policy=policy(), accept=("application/rss+xml",), headers={"If-None-Match": '"v1"'})
    assert (answer.status, answer.body) == (304, b"")


def test_nothing_listening_is_unreachable(server):
    url = server.url("/x").replace(str(server.port), "1")
    with pytest.raises(FetchFailed) as failed:
        fetch(url, policy=policy(), accept=HTML)
    assert failed.value.reason == Reason.UNREACHABLE


def test_an_allowed_ipv6_loopback_is_fetched_with_a_bracketed_host_header(connections):
    try:
        server = FixtureServer(host="::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with server:
        url = server.route("/v6", Route(body=PAGE))
        answer = fetch(url, policy=policy(allowed_networks=(ipaddress.ip_network("::1/128"),)), accept=HTML)
        assert answer.body == PAGE
        assert server.requests[0][1]["Host"] == f"[::1]:{server.port}"
    assert connections == ["::1"]
