"""The client's address, one rule for the API's throttles and the sign-in lock-out (django-axes).

DRF's rule (``NUM_PROXIES``, settings.API_NUM_PROXIES): REMOTE_ADDR, or with N trusted proxies
in front the address the nearest of them saw in X-Forwarded-For; anything a client wrote
before it is ignored. Not an IP address (no REMOTE_ADDR, a proxy passing on junk): None, which
django-axes stores as unknown (its column is an address: text there would be a 500).

>>> from django.test import RequestFactory
>>> client_address(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))
'203.0.113.7'
>>> client_address(RequestFactory().get("/", REMOTE_ADDR="not-an-address")) is None
True
"""

import ipaddress

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str | None:
    """The address a request came from, by DRF's NUM_PROXIES rule; None if it is not an IP address."""
    address = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
