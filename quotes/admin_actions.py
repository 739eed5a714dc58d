"""Admin actions: each one is a thin call into a service, then a message.

The services record who did what (``reviewed_by``) and queue work after the
transaction commits, so the admin never writes review state or enqueues
tasks itself. Example: ``StatementAdmin.actions = [verify_statements, reject_statements]``.

Merges use Django admin's intermediate-page pattern: the action first answers
with a confirmation page (choose the one to keep), which posts back with
``apply``; domain errors (quotes.errors) become admin messages.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from quotes.errors import QuoteTrackerError
from quotes.services.articles import article_extraction_request
from quotes.services.review import duplicate_candidate_resolve, speakers_merge, statements_merge
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


# --- Merging: a confirmation page, then one service call ----------------------------

MERGE_TEMPLATE = "admin/quotes/merge_confirmation.html"


def _merge_rows(modeladmin, objects, describe) -> list[dict]:
    """One row per selected object: its change link and the columns ``describe`` picks."""
    opts = modeladmin.model._meta
    return [
        {
            "pk": obj.pk, "title": str(obj),
            "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            "cells": describe(obj),
        }
        for obj in objects
    ]


def _merge_with_confirmation(
    modeladmin, request, queryset, *, service, action: str, noun: str, columns: list[str], describe,
    suggest,
) -> TemplateResponse | None:
    """Django admin's intermediate-page pattern for a merge.

    The first POST (from the changelist) renders the selected objects with a
    radio for the one to keep; the page posts back the same action and
    selection plus ``apply`` and ``target``, and this calls ``service``.
    A domain error is an admin message, never a 500.
    """
    objects = list(queryset)
    if "apply" in request.POST:
        target = next((o for o in objects if str(o.pk) == request.POST.get("target")), None)
        if target is None:
            modeladmin.message_user(request, f"Choose the {noun} to keep among the selected ones.",
                                    messages.ERROR)
            return None
        others = [o for o in objects if o.pk != target.pk]
        try:
            kept = service(target=target, others=others, user=request.user)
        except QuoteTrackerError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return None
        opts = modeladmin.model._meta
        link = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[kept.pk])
        modeladmin.message_user(
            request,
            format_html('Merged {} other {} into <a href="{}">{}</a>.', len(others), noun, link, kept),
            messages.SUCCESS,
        )
        return None
    if len(objects) < 2:
        modeladmin.message_user(request, f"Select at least two {noun}s to merge.", messages.WARNING)
        return None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Merge {opts.verbose_name_plural}",
        "opts": opts,
        "noun": noun,
        "columns": columns,
        "rows": _merge_rows(modeladmin, objects, describe),
        "suggested": suggest(objects).pk,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, MERGE_TEMPLATE, context)


def _statement_cells(statement) -> list:
    return [
        ", ".join(s.name for s in statement.speakers.all()) or "—",
        statement.said_on or "unknown",
        statement.get_review_status_display(),
        getattr(statement, "source_count", "—"),  # annotated by selectors.statement_list
    ]


def _suggest_statement(statements):
    # A human's decision (verified, edited) is the one to keep, else the oldest.
    return min(statements, key=lambda s: (not s.is_locked, s.pk))


@admin.action(description="Merge selected statements", permissions=["change"])
def merge_statements(modeladmin, request, queryset):
    """Merge the selected statements into the one chosen on the confirmation page."""
    return _merge_with_confirmation(
        modeladmin, request, queryset, service=statements_merge, action="merge_statements",
        noun="statement", columns=["speakers", "said on", "review", "sources"],
        describe=_statement_cells, suggest=_suggest_statement,
    )


def _speaker_cells(speaker) -> list:
    return [
        speaker.description or "—",
        speaker.wikidata_qid or "—",
        "yes" if speaker.reviewed else "no",
        getattr(speaker, "statement_count", "—"),  # annotated by selectors.speaker_list
    ]


def _suggest_speaker(speakers):
    # Someone a human reviewed or linked to Wikidata, else the oldest.
    return min(speakers, key=lambda s: (not s.reviewed, not s.wikidata_qid, s.pk))


@admin.action(description="Merge selected speakers", permissions=["change"])
def merge_speakers(modeladmin, request, queryset):
    """Merge the selected speakers into the one chosen on the confirmation page."""
    return _merge_with_confirmation(
        modeladmin, request, queryset, service=speakers_merge, action="merge_speakers",
        noun="speaker", columns=["description", "Wikidata", "reviewed", "statements"],
        describe=_speaker_cells, suggest=_suggest_speaker,
    )


# --- Duplicate pairs ---------------------------------------------------------------


def _resolve_candidates(modeladmin, request, queryset, *, merge: bool) -> None:
    """Resolve each selected pair on its own: one that fails leaves the others done."""
    done, failed = 0, []
    for candidate in list(queryset.order_by("-similarity", "pk")):
        try:
            duplicate_candidate_resolve(candidate=candidate, merge=merge, user=request.user)
        except QuoteTrackerError as exc:
            failed.append(f"pair #{candidate.pk}: {exc.message}")
        else:
            done += 1
    if done:
        verb = "merged" if merge else "dismissed"
        text = ngettext("%(n)d pair %(verb)s.", "%(n)d pairs %(verb)s.", done) % {"n": done, "verb": verb}
        modeladmin.message_user(request, text, messages.SUCCESS)
    for message in failed:
        modeladmin.message_user(request, message, messages.ERROR)


@admin.action(description="Merge the statements of selected pairs", permissions=["change"])
def merge_duplicates(modeladmin, request, queryset) -> None:
    """Merge each selected pair (the statement a human decided on is kept, else the older)."""
    _resolve_candidates(modeladmin, request, queryset, merge=True)


@admin.action(description="Dismiss selected pairs (not duplicates)", permissions=["change"])
def dismiss_duplicates(modeladmin, request, queryset) -> None:
    """Mark the selected pairs as not duplicates; they are not offered again."""
    _resolve_candidates(modeladmin, request, queryset, merge=False)
