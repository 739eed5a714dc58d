"""One HTTP GET, as safe as a public service must make it (server-side request forgery).

``fetch(url, policy=...)`` follows at most ``policy.max_redirects`` redirects; for the
first URL and each redirect it resolves the host (``policy.resolver``, replaceable in
tests), checks every address (quotes.fetching.addresses), and connects to the checked
address itself, with the Host header and TLS SNI/certificate check set to the name: there
is no second resolution between check and connect for DNS rebinding to slip into. The
body is read as a stream, counted after decompression (a gzip bomb stops at the cap), in
a total time limit, and only when the content type is one the caller accepts.

Errors: FetchRefused (nothing was sent: scheme, port or address) and FetchFailed (the
server's answer, or its silence, was unusable); both carry a ``reason`` category.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import socket
import time
from collections.abc import Callable, Iterable
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from quotes.fetching.addresses import IPAddress, Network, ip_literal, refusal


class FetchError(Exception):
    """A fetch that gave nothing usable; ``reason`` is a stable category (Reason below)."""

    def __init__(self, reason: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status = status  # the HTTP status, for Reason.HTTP_STATUS


class FetchRefused(FetchError):
    """Refused before any connection: not http(s), a port not allowed, a blocked address."""


class FetchFailed(FetchError):
    """The server answered with nothing usable, or too slowly."""


class Reason:
    """The categories a failed fetch is reported under (Article.FetchReason mirrors them)."""

    BLOCKED = "blocked"
    HTTP_STATUS = "http_status"
    NOT_HTML = "not_html"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    NO_TEXT = "no_text"
    UNREACHABLE = "unreachable"
    TLS = "tls"  # reached, but no trusted TLS connection: a certificate not for the host, or untrusted
    ROBOTS = "robots"
    DUPLICATE = "duplicate"


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


@dataclasses.dataclass(frozen=True)
class Policy:
    """What a fetch may do; ``quotes.fetching.policy_from_settings()`` builds the configured one."""

    user_agent: str
    max_bytes: int = 5 * 1024 * 1024
    total_seconds: float = 20.0
    connect_seconds: float = 5.0
    max_redirects: int = 5
    ports: frozenset[int] = frozenset({80, 443})
    allowed_networks: tuple[Network, ...] = ()
    allowed_hosts: frozenset[str] = frozenset()
    resolver: Resolver = system_resolver


@dataclasses.dataclass(frozen=True)
class Response:
    url: str  # the URL that answered, after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    content_type: str
    charset: str | None


REDIRECTS = {301, 302, 303, 307, 308}
_resolving = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="resolve")


def fetch(
    url: str, *, policy: Policy, accept: Iterable[str], headers: dict[str, str] | None = None,
) -> Response:
    """GET ``url`` under ``policy``; a 2xx or 304 answer whose content type is in ``accept``.

    ``headers`` are sent as well (If-None-Match, If-Modified-Since for a conditional GET).
    Raises FetchRefused or FetchFailed (reason categories in Reason).
    """
    deadline = time.monotonic() + policy.total_seconds
    accept = tuple(accept)
    for _ in range(policy.max_redirects + 1):
        host, port, address, target = _checked_target(url, policy, deadline)
        response = _request(url, host, port, address, target, policy, headers or {}, deadline)
        try:
            if response.status in REDIRECTS and response.headers.get("location"):
                url = urljoin(url, response.headers["location"])
                continue
            return _read(url, response, policy, accept, deadline)
        finally:
            response.release_conn()
            response.close()
    raise FetchFailed(Reason.HTTP_STATUS, f"more than {policy.max_redirects} redirects")


def _checked_target(url: str, policy: Policy, deadline: float) -> tuple[str, int, IPAddress, str]:
    """The host, port, the one checked address to connect to and the request target of ``url``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused(Reason.BLOCKED, f"not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(Reason.BLOCKED, f"only http and https are fetched, not {parts.scheme or 'none'}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(Reason.BLOCKED, "the URL has no host")
    if parts.username or parts.password:
        raise FetchRefused(Reason.BLOCKED, "URLs with a user name or password are not fetched")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port, policy, deadline)
    allowed_name = host.lower() in policy.allowed_hosts
    for address in addresses:
        if allowed_name:
            break
        reason = refusal(address, allowed=policy.allowed_networks)
        if reason is not None:
            raise FetchRefused(Reason.BLOCKED, f"{host} resolves to {address} ({reason}): not fetched")
    # The port rule is waived for an address FETCH_ALLOW_NETWORKS names (an intranet, a test server).
    named = allowed_name or all(any(a in n for n in policy.allowed_networks) for a in addresses)
    if port not in policy.ports and not named:
        raise FetchRefused(Reason.BLOCKED, f"port {port} is not allowed (only {sorted(policy.ports)})")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return host, port, addresses[0], target


def _resolve(host: str, port: int, policy: Policy, deadline: float) -> list[IPAddress]:
    literal = ip_literal(host)
    if literal is not None:
        return [literal]
    future = _resolving.submit(policy.resolver, host, port)
    try:
        found = future.result(timeout=max(0.0, deadline - time.monotonic()))
    except concurrent.futures.TimeoutError as exc:
        raise FailedTimeout(f"resolving {host} took too long") from exc
    except OSError as exc:
        raise FetchFailed(Reason.UNREACHABLE, f"{host} cannot be resolved: {exc}") from exc
    addresses = [a for a in (ip_literal(str(item)) for item in found) if a is not None]
    if not addresses:
        raise FetchFailed(Reason.UNREACHABLE, f"{host} resolves to no address")
    return addresses


def FailedTimeout(message: str) -> FetchFailed:  # noqa: N802 - reads as the error it makes
    return FetchFailed(Reason.TIMEOUT, message)


def _request(url, host, port, address, target, policy, extra, deadline) -> urllib3.BaseHTTPResponse:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FailedTimeout(f"no answer from {host} within {policy.total_seconds:g} s")
    timeout = urllib3.Timeout(connect=min(policy.connect_seconds, remaining), read=remaining)
    common = {"port": port, "timeout": timeout, "retries": False, "maxsize": 1}
    if urlsplit(url).scheme == "https":
        # Connected to the checked address; the certificate must still name the host.
        pool = urllib3.HTTPSConnectionPool(
            str(address), server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED", **common,
        )
    else:
        pool = urllib3.HTTPConnectionPool(str(address), **common)
    default_port = 443 if urlsplit(url).scheme == "https" else 80
    named = f"[{host}]" if ":" in host else host  # an IPv6 literal is bracketed in a Host header
    headers = {
        "Host": named if port == default_port else f"{named}:{port}",
        "User-Agent": policy.user_agent,
        "Accept-Encoding": "gzip, deflate",
        **extra,
    }
    try:
        return pool.urlopen(
            "GET", target, headers=headers, redirect=False, preload_content=False,
            assert_same_host=False, release_conn=False,
        )
    except NewConnectionError as exc:  # a subclass of the time-out error, yet a refusal
        raise FetchFailed(Reason.UNREACHABLE, f"{host} refused the connection") from exc
    except Urllib3Timeout as exc:
        raise FailedTimeout(f"no answer from {host} within the time limit") from exc
    except Urllib3SSLError as exc:  # a certificate not for this host, or from no trusted authority
        detail = str(exc.__cause__ or exc)[:300]
        raise FetchFailed(Reason.TLS, f"{host}: no trusted TLS connection ({detail})") from exc
    except Urllib3Error as exc:
        raise FetchFailed(Reason.UNREACHABLE, f"{host} could not be reached: {type(exc).__name__}") from exc


def _read(url: str, response, policy: Policy, accept: tuple[str, ...], deadline: float) -> Response:
    headers = {k.lower(): v for k, v in response.headers.items()}
    if response.status == 304:
        return Response(url, 304, headers, b"", "", None)
    if not 200 <= response.status < 300:
        raise FetchFailed(Reason.HTTP_STATUS, f"HTTP {response.status}", status=response.status)
    content_type, charset = _content_type(headers.get("content-type", ""))
    if content_type not in accept:
        raise FetchFailed(Reason.NOT_HTML, f"the content type is {content_type or 'missing'}, not HTML")
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes and "content-encoding" not in headers:
        raise FetchFailed(Reason.TOO_LARGE, f"larger than {policy.max_bytes} bytes")
    chunks, size = [], 0
    try:
        # One socket read at a time (read1), each bounded by what is left of the total time,
        # so a server dribbling a byte at a time is cut off; counted after decompression.
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FailedTimeout(f"the page took longer than {policy.total_seconds:g} s")
            _socket_timeout(response, remaining)
            chunk = response.read1(64 * 1024, decode_content=True)
            if not chunk and (response.isclosed() or response.connection is None):
                break
            size += len(chunk)
            if size > policy.max_bytes:
                raise FetchFailed(Reason.TOO_LARGE, f"larger than {policy.max_bytes} bytes (decompressed)")
            chunks.append(chunk)
    except Urllib3Timeout as exc:
        raise FailedTimeout(f"the page took longer than {policy.total_seconds:g} s") from exc
    except (Urllib3Error, OSError) as exc:
        raise FetchFailed(Reason.UNREACHABLE, f"the answer broke off: {type(exc).__name__}") from exc
    return Response(url, response.status, headers, b"".join(chunks), content_type, charset)


def _socket_timeout(response, seconds: float) -> None:
    connection = response.connection
    sock = getattr(connection, "sock", None)
    if sock is not None:
        sock.settimeout(max(seconds, 0.01))


def _content_type(value: str) -> tuple[str, str | None]:
    """``text/html; charset=ISO-8859-1`` -> ``("text/html", "iso-8859-1")``.

    >>> _content_type("Text/HTML; Charset=\\"ISO-8859-1\\"")
    ('text/html', 'iso-8859-1')
    """
    main, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip('"').lower() or None
    return main.strip().lower(), charset
