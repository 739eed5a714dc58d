"""One exception handler: every API error is JSON with a ``detail`` message.

Django's own error pages (a URL no route matches, a server error, a bad request) are JSON
too under /api/ (``handler404`` and the others in quotetracker/urls.py), HTML elsewhere.

Domain errors (quotes.errors) become their own 4xx status with a stable
``code``; DRF's errors keep their status and gain a code too; a request body
over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, not Django's HTML page.

    {"detail": "This article is already stored.", "code": "duplicate_article", "article_id": 7}
    {"detail": "Invalid input.", "code": "invalid", "errors": {"kind": ["..."]}}
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from quotes.errors import QuoteTrackerError


def exception_handler(exc, context):
    """Turn ``exc`` into a JSON response, or return None to let Django answer 500."""
    if isinstance(exc, QuoteTrackerError):
        body = {"detail": exc.message, "code": exc.code, **exc.details}
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response(
            {"detail": "; ".join(exc.messages), "code": "invalid"},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": str(exc) or "The request body is too large.", "code": "request_too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return Response({"detail": str(exc), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        response.data = {"detail": "Not found.", "code": "not_found"}
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    elif isinstance(response.data, list):
        # A serializer-wide error (ValidationError("...")): its messages are the detail.
        response.data = {"detail": " ".join(str(m) for m in response.data), "code": "invalid"}
    else:
        # Field errors: keep them under "errors" and say so in one line.
        response.data = {"detail": "Invalid input.", "code": "invalid", "errors": response.data}
    return response


def _json_under_api(default, status: int, detail: str, code: str):
    """Django's error view ``default``, answering JSON in the API's shape for paths under /api/."""

    def view(request, exception=None):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": detail, "code": code}, status=status)
        return default(request) if default is defaults.server_error else default(request, exception)

    return view


not_found = _json_under_api(defaults.page_not_found, 404, "Not found.", "not_found")
bad_request = _json_under_api(defaults.bad_request, 400, "Bad request.", "bad_request")
permission_denied = _json_under_api(defaults.permission_denied, 403, "Forbidden.", "permission_denied")
server_error = _json_under_api(defaults.server_error, 500, "Server error.", "server_error")
