"""The client's address, one rule for the API's throttles and the sign-in lock-out (django-axes).

DRF's rule (``NUM_PROXIES``, settings.API_NUM_PROXIES): REMOTE_ADDR, or with N trusted proxies
in front the address the nearest of them saw in X-Forwarded-For; anything a client wrote
before it is ignored.
"""

from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    """The address a request came from, by DRF's NUM_PROXIES rule (e.g. ``"203.0.113.7"``)."""
    return BaseThrottle().get_ident(request) or "unknown"
