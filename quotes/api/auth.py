"""Sign-in for developers: a token for a username and password, behind the lock-out.

django-axes (settings: AXES_*) counts failed sign-ins per account and per client address,
on the admin's login page and here alike; past the limit it refuses even the right password
before any hashing, for AXES_COOLOFF_TIME. Here that is a 429 in the API's error shape.
A token given clears the account's count, as a sign-in on the admin does (axes hears of
that one through Django's user_logged_in; a token is no session, so it is said here).
"""

from axes.utils import reset as axes_reset
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError

from quotes.api.serializers import ErrorSerializer


class LockedOut(Throttled):
    default_detail = "Too many failed sign-ins for this account or address; try again later."
    default_code = "locked_out"


class TokenView(ObtainAuthToken):
    """``POST {"username", "password"}`` -> ``{"token"}``; 400 for wrong credentials, 429 when locked out."""

    @extend_schema(
        summary="A token for a username and password",
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(ErrorSerializer, description="Missing or wrong credentials."),
            429: OpenApiResponse(ErrorSerializer, description="Locked out after too many failures."),
        },
    )
    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):  # set by axes during authenticate()
                raise LockedOut() from None
            raise
        axes_reset(username=request.data["username"])
        return response
