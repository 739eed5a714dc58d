"""The API's throttles: anonymous clients by address at the ``anon`` rate, signed-in users at ``user``.

DRF's UserRateThrottle counts an anonymous request by its address too, beside AnonRateThrottle,
at the looser ``user`` rate: a second counter read and written in the shared cache on every
anonymous request, which never decides anything while ``anon`` is the stricter rate.
SignedInRateThrottle counts signed-in users alone.
"""

from __future__ import annotations

from rest_framework.throttling import UserRateThrottle


class SignedInRateThrottle(UserRateThrottle):
    """UserRateThrottle for signed-in users; an anonymous request is AnonRateThrottle's to count."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # not throttled here (DRF's contract for "no key")
        return super().get_cache_key(request, view)
