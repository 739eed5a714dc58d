"""The OpenAPI schema's rules that drf-spectacular cannot read off the views by itself.

- Reads are open: an operation whose permissions let anonymous clients read (their
  ``anonymous_reads``) says so (``security`` includes ``{}``), so the schema does not
  claim that public reads need credentials.
- Every error the API answers is declared: a 400 wherever a parameter or body can be
  wrong (a bad cursor, page size or filter), a 404 wherever the path names an object,
  and the web server's 414 for a query string past its request-line limit.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import SAFE_METHODS

ERROR = {"$ref": "#/components/schemas/Error"}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, plus: a safe method every permission opens to anonymous clients needs no auth."""

    def get_auth(self):
        auths = super().get_auth()
        permissions = self.view.get_permissions()
        opened = all(getattr(permission, "anonymous_reads", False) for permission in permissions)
        anonymous = self.method in SAFE_METHODS and opened
        if anonymous and {} not in auths:
            auths.append({})
        return auths


def declare_errors(result: dict, generator, request, public: bool) -> dict:
    """Postprocessing hook: the 400 and 404 every operation may answer, in the API's error shape."""
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault("400", _error("Invalid input."))
            if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
                # gunicorn's own answer, before the application: plain text, not the API's shape.
                responses.setdefault("414", {"description": "A request line longer than the server takes."})
            if "{" in path:
                responses.setdefault("404", _error("No such object."))
    return result


def _error(description: str) -> dict:
    return {"content": {"application/json": {"schema": ERROR}}, "description": description}
