"""Admin actions: each one is a thin call into a service, then a message.

The services record who did what (``reviewed_by``) and queue work after the
transaction commits, so the admin never writes review state or enqueues
tasks itself. Example: ``StatementAdmin.actions = [verify_statements, reject_statements]``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import ngettext

from quotes.services.articles import article_extraction_request
from quotes.services.statements import statements_reject, statements_verify


@admin.action(description="Verify selected statements", permissions=["change"])
def verify_statements(modeladmin, request, queryset) -> None:
    """Mark the selected statements verified by the current user (locks them)."""
    count = statements_verify(statement_ids=queryset.values_list("pk", flat=True), user=request.user)
    modeladmin.message_user(
        request, ngettext("%d statement verified.", "%d statements verified.", count) % count,
        messages.SUCCESS,
    )


@admin.action(description="Reject selected statements", permissions=["change"])
def reject_statements(modeladmin, request, queryset) -> None:
    """Mark the selected statements rejected by the current user (hidden, never re-extracted)."""
    count = statements_reject(statement_ids=queryset.values_list("pk", flat=True), user=request.user)
    modeladmin.message_user(
        request, ngettext("%d statement rejected.", "%d statements rejected.", count) % count,
        messages.SUCCESS,
    )


@admin.action(description="Re-run extraction on selected articles", permissions=["change"])
def rerun_extraction(modeladmin, request, queryset) -> None:
    """Mark the selected articles pending and queue their extraction after commit."""
    count = article_extraction_request(article_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(
        request,
        ngettext("Extraction queued for %d article.", "Extraction queued for %d articles.", count) % count,
        messages.SUCCESS,
    )
