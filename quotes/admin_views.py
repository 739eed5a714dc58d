"""Admin views beyond the stock ones: splitting a statement's appearances off.

Like the actions, each view is a thin call into quotes.services; domain errors
(quotes.errors) are shown as admin messages. ``StatementAdmin.get_urls`` mounts
``statement_split_view`` at /admin/quotes/statement/<id>/split/, and the
statement's change form links to it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from quotes import selectors
from quotes.errors import InvalidInput, QuoteTrackerError
from quotes.services.review import statement_split

SPLIT_TEMPLATE = "admin/quotes/statement/split.html"


def _appearance_ids(values: list[str]) -> list[int]:
    """The checked boxes as ids; something else than numbers is a tampered form."""
    try:
        return [int(v) for v in values]
    except ValueError:
        raise InvalidInput("Appearance ids are numbers.") from None


def statement_split_view(modeladmin, request, object_id: str):
    """GET: the statement's appearances as checkboxes. POST: split the checked ones off.

    On success, redirect to the new statement's change page; on a domain error
    (none or all checked, not this statement's) show the page again with the message.
    """
    statement = modeladmin.get_object(request, unquote(object_id))
    opts = modeladmin.model._meta
    if statement is None:
        return modeladmin._get_obj_does_not_exist_redirect(request, opts, object_id)
    if not modeladmin.has_change_permission(request, statement):
        raise PermissionDenied
    checked: set[int] = set()
    if request.method == "POST":
        try:
            checked = set(_appearance_ids(request.POST.getlist("appearance_ids")))
            new = statement_split(statement=statement, appearance_ids=sorted(checked), user=request.user)
        except QuoteTrackerError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
        else:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[new.pk])
            modeladmin.message_user(
                request,
                format_html("Split {} appearance(s) off into statement #{}.", len(checked), new.pk),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(url)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"Split statement #{statement.pk}",
        "opts": opts,
        "original": statement,
        "appearances": list(selectors.appearances_with_sources().filter(statement=statement)),
        "checked": checked,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, SPLIT_TEMPLATE, context)
