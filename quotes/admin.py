"""The admin: data entry and review for speakers, outlets, articles and statements.

A thin interface like the API: reads start from quotes.selectors (so the
changelists cost a fixed number of queries), and every write with a workflow
goes through quotes.services:

- adding an article calls ``article_submit`` (stored, then extraction queued
  after commit), editing one calls ``article_edit`` (a changed text is re-hashed
  and queued for extraction again); either, losing a race to another article's
  text or URL, is shown again with a form error naming that article;
- editing a statement calls ``statement_edit`` (it becomes locked, with the
  reviewer recorded); verify/reject, merge and "re-run extraction" are actions
  (quotes.admin_actions), as are merging speakers and resolving duplicate pairs;
- splitting appearances off a statement is a view of its own
  (quotes.admin_views), linked from the statement's change form;
- the statement list filters and sorts by the machine's confidence, split at the
  timeline's floor (``TIMELINE_MIN_CONFIDENCE``), so the low ones can be worked through first.

What the machine wrote (extracted appearances: offsets, speaker as written,
cue, context, date) is shown read-only; reviewers add manual appearances.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from quotes import selectors
from quotes.admin_actions import (
    dismiss_duplicates,
    merge_duplicates,
    merge_speakers,
    merge_statements,
    reject_statements,
    rerun_extraction,
    verify_statements,
)
from quotes.admin_forms import ArticleForm, FeedForm, ManualAppearanceForm, SpeakerAliasForm, StatementForm
from quotes.admin_views import statement_split_view
from quotes.errors import DuplicateArticle, QuoteTrackerError
from quotes.models import (
    Appearance,
    Article,
    DuplicateCandidate,
    Feed,
    Outlet,
    Role,
    Speaker,
    SpeakerAlias,
    Statement,
)
from quotes.services.articles import article_delete, article_edit, outlet_delete, outlet_save
from quotes.services.feeds import feed_delete, feed_save, feeds_poll_now
from quotes.services.speakers import (
    role_delete,
    role_save,
    speaker_alias_delete,
    speaker_alias_save,
    speaker_delete,
    speaker_save,
)
from quotes.services.statements import (
    appearance_delete_manual,
    appearance_save_manual,
    statement_create_manual,
    statement_delete,
    statement_edit,
)

admin.site.site_header = "QuoteTracker administration"
admin.site.site_title = "QuoteTracker admin"
admin.site.index_title = "Speakers, statements and sources"

# --- Writes -------------------------------------------------------------------------


class ServiceWritesMixin:
    """Inline rows are written through the services, never by the formset itself.

    ``INLINE_WRITES`` maps an inline's model to its (save, delete) services. The
    parent's many-to-many fields are the parent service's to write, so the stock
    ``form.save_m2m()`` is not called. The formset's new/changed/deleted lists are
    filled as Django's own save would, for the change message in the history.
    """

    def service_save(self, request, obj) -> None:
        raise NotImplementedError  # each admin names its service

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change) -> None:
        self.service_save(request, obj)

    def delete_model(self, request, obj) -> None:
        self.service_delete(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        # A refusal (a speaker with statements, an outlet with articles) rolls the view's
        # transaction back and is shown on the change page, not as a 500.
        try:
            return super().delete_view(request, object_id, extra_context)
        except QuoteTrackerError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                                args=[object_id]))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                delete_through_services, "delete_selected", delete_through_services.short_description,
            )
        return actions

    def save_related(self, request, form, formsets, change) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change) -> None:
        save, delete = INLINE_WRITES[formset.model]
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.initial_forms:
            if inline_form in formset.deleted_forms and inline_form.instance.pk is not None:
                delete(inline_form.instance)
                formset.deleted_objects.append(inline_form.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            row = inline_form.instance
            setattr(row, formset.fk.name, formset.instance)
            adding = row.pk is None
            save(row)
            if adding:
                formset.new_objects.append(row)
            else:
                formset.changed_objects.append((row, inline_form.changed_data))


@admin.action(description="Delete selected %(verbose_name_plural)s", permissions=["delete"])
def delete_through_services(modeladmin, request, queryset):
    """Delete each selected row through its service; a refused one is reported, the others done.

    The confirmation page is Django's own (it posts back here with ``post``).
    """
    if not request.POST.get("post"):
        return delete_selected(modeladmin, request, queryset)
    done = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                modeladmin.service_delete(request, obj)
        except QuoteTrackerError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, f"Deleted {done}.", messages.SUCCESS)


INLINE_WRITES = {
    Appearance: (
        lambda row: appearance_save_manual(appearance=row),
        lambda row: appearance_delete_manual(appearance=row),
    ),
    SpeakerAlias: (lambda row: speaker_alias_save(alias=row), lambda row: speaker_alias_delete(alias=row)),
    Role: (lambda row: role_save(role=row), lambda row: role_delete(role=row)),
}


# --- Speakers -------------------------------------------------------------------


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    form = SpeakerAliasForm
    extra = 1


class RoleInline(admin.TabularInline):
    model = Role
    fields = ["title", "organization", "start", "end", "wikidata_position"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(ServiceWritesMixin, SimpleHistoryAdmin):
    list_display = ["name", "description", "is_organization", "reviewed", "statement_count"]
    list_filter = ["reviewed", "is_organization"]
    # Also what the statement form's speaker autocomplete searches.
    search_fields = ["name", "aliases__name", "wikidata_qid"]
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SpeakerAliasInline, RoleInline]
    actions = [merge_speakers]

    def get_queryset(self, request) -> QuerySet[Speaker]:
        return selectors.speaker_list()

    def service_save(self, request, obj: Speaker) -> None:
        obj._history_user = request.user
        speaker_save(speaker=obj)

    def service_delete(self, request, obj: Speaker) -> None:
        speaker_delete(speaker=obj)

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Speaker) -> int:
        return obj.statement_count


# --- Outlets --------------------------------------------------------------------


@admin.register(Outlet)
class OutletAdmin(ServiceWritesMixin, admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]
    readonly_fields = ["created_at", "updated_at"]

    def service_save(self, request, obj: Outlet) -> None:
        outlet_save(outlet=obj)

    def service_delete(self, request, obj: Outlet) -> None:
        outlet_delete(outlet=obj)


# --- Appearances (inlines on articles and statements) -----------------------------

APPEARANCE_FIELDS = [
    "article", "statement", "start", "end", "speaker_as_written", "cue", "context", "piece_words",
    "reported_via", "said_on", "said_on_precision", "said_on_method", "date_evidence", "kind", "confidence",
    "origin", "extractor_version",
]
# The engine's provenance of a report: shown on a reviewer's rows too, never typed in
# (appearance_save_manual sets the method; kind, confidence and pieces are the engine's).
APPEARANCE_PROVENANCE = ["piece_words", "said_on_method", "kind", "confidence"]


class AppearanceShownMixin:
    """What both appearance inlines show of a report beyond its fields."""

    @admin.display(description="pieces")
    def piece_words(self, appearance: Appearance) -> str:
        """The quoted pieces of a report as words ("A \u2026 B"), not their offsets."""
        if appearance.pk is None:
            return ""
        text = appearance.article.text
        return " \u2026 ".join(text[start:end] for start, end in appearance.pieces or [])


class ExtractedAppearanceInline(AppearanceShownMixin, admin.TabularInline):
    """Appearances the engine wrote: provenance, shown read-only."""

    model = Appearance
    verbose_name = "appearance (extracted)"
    verbose_name_plural = "appearances (extracted, read-only)"
    extra = 0
    can_delete = False
    parent_fk = "article"

    def get_fields(self, request, obj=None):
        return [f for f in APPEARANCE_FIELDS if f != self.parent_fk]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request) -> QuerySet[Appearance]:
        return (
            super().get_queryset(request).filter(origin=Appearance.Origin.EXTRACTED)
            .select_related("article__outlet", "statement")
        )


class ManualAppearanceInline(AppearanceShownMixin, admin.TabularInline):
    """Appearances a reviewer added: editable."""

    model = Appearance
    form = ManualAppearanceForm
    verbose_name = "appearance (manual)"
    verbose_name_plural = "appearances (manual)"
    extra = 0
    parent_fk = "article"
    autocomplete_fields = ["statement", "article"]

    def get_fields(self, request, obj=None):
        return [f for f in ManualAppearanceForm.Meta.fields if f != self.parent_fk] + APPEARANCE_PROVENANCE

    def get_readonly_fields(self, request, obj=None):
        return APPEARANCE_PROVENANCE

    def get_queryset(self, request) -> QuerySet[Appearance]:
        return (
            super().get_queryset(request).filter(origin=Appearance.Origin.MANUAL)
            .select_related("article", "statement")
        )


# --- Articles -------------------------------------------------------------------


class ArticleExtractedAppearanceInline(ExtractedAppearanceInline):
    parent_fk = "article"


class ArticleManualAppearanceInline(ManualAppearanceInline):
    parent_fk = "article"
    autocomplete_fields = ["statement"]


@admin.register(Article)
class ArticleAdmin(ServiceWritesMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "outlet", "published_at", "extraction_status", "statement_count"]
    list_filter = ["extraction_status", "fetch_reason", "published_known", "outlet", "published_at"]
    search_fields = ["title", "text", "url"]
    list_select_related = ["outlet"]
    readonly_fields = [
        "content_hash", "extraction_status", "extraction_error", "extractor_version", "extracted_at",
        "submitted_by", "created_at", "updated_at", "source_url", "fetch_reason", "feed", "published_known",
    ]
    inlines = [ArticleExtractedAppearanceInline, ArticleManualAppearanceInline]
    actions = [rerun_extraction]

    def get_queryset(self, request) -> QuerySet[Article]:
        return selectors.article_list().select_related("submitted_by")

    def get_inline_instances(self, request, obj=None):
        # Offsets point into stored text: appearances are added once the article exists.
        return super().get_inline_instances(request, obj) if obj is not None else []

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Article) -> int:
        return obj.statement_count

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DuplicateArticle as exc:
            # A concurrent add or edit stored another article with this text or URL after this
            # form was validated: the unique constraint refused this add or edit and the view's
            # transaction rolled back. Show the form again, naming that article, not a 500.
            request.article_stored_first = exc.details["article_id"]
            return self.changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.stored_first = getattr(request, "article_stored_first", None)  # a class of its own
        return form

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        # Adding: the service stores it and queues extraction after commit.
        return form.submit(user=request.user)

    def service_delete(self, request, obj: Article) -> None:
        article_delete(article=obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            return  # already stored by article_submit in save_form
        article_edit(article=obj, fields=form.changed_data)
        if "text" in form.changed_data:
            self.message_user(request, "The text changed: extraction was queued again.", messages.INFO)


# --- Statements -----------------------------------------------------------------


class StatementExtractedAppearanceInline(ExtractedAppearanceInline):
    parent_fk = "statement"


class StatementManualAppearanceInline(ManualAppearanceInline):
    parent_fk = "statement"
    autocomplete_fields = ["article"]


# The band a reviewer may skip: what the machine is surest of. Not a setting; only this filter uses it.
HIGH_CONFIDENCE = 0.8


class ConfidenceFilter(admin.SimpleListFilter):
    """``?confidence=below_floor|at_or_above_floor|high``: statements by the machine's confidence.

    The floor is ``TIMELINE_MIN_CONFIDENCE``, read on each request. Bands go by the
    number alone, as the confidence column shows it, so a verified statement below
    the floor is listed below it although the timeline shows it (``selectors.above_floor``
    lets verified ones through); the review status filter beside it narrows to the
    unreviewed ones. An unknown value is ignored, as for the stock filters.
    """

    title = "confidence"
    parameter_name = "confidence"

    def lookups(self, request, model_admin):
        floor = settings.TIMELINE_MIN_CONFIDENCE
        return [
            ("below_floor", f"below the timeline floor (under {floor:g})"),
            ("at_or_above_floor", f"at or above the floor ({floor:g} and up)"),
            ("high", f"high ({HIGH_CONFIDENCE:g} and up)"),
        ]

    def queryset(self, request, queryset):
        floor = settings.TIMELINE_MIN_CONFIDENCE
        band = {
            "below_floor": Q(confidence__lt=floor),
            "at_or_above_floor": Q(confidence__gte=floor),
            "high": Q(confidence__gte=HIGH_CONFIDENCE),
        }.get(self.value())
        return queryset.filter(band) if band is not None else None


@admin.register(Statement)
class StatementAdmin(ServiceWritesMixin, SimpleHistoryAdmin):
    form = StatementForm
    list_display = [
        "excerpt", "kind", "speaker_names", "said_on", "said_on_precision", "review_status",
        "source_count", "confidence_display",
    ]
    list_filter = [
        "review_status", ConfidenceFilter, "kind", "said_on_precision", "date_conflict", "speakers",
    ]
    search_fields = ["text", "speakers__name"]
    autocomplete_fields = ["speakers"]
    date_hierarchy = "said_on"
    readonly_fields = [
        "review_status", "reviewed_by", "reviewed_at", "edited", "said_on_method", "date_conflict",
        "confidence", "part_of", "first_reported_at", "created_at", "updated_at",
    ]
    inlines = [StatementExtractedAppearanceInline, StatementManualAppearanceInline]
    actions = [verify_statements, reject_statements, merge_statements]
    history_list_display = ["review_status", "edited"]
    # Adds links to the split view and the open duplicate pairs.
    change_form_template = "admin/quotes/statement/change_form.html"

    def get_queryset(self, request) -> QuerySet[Statement]:
        # Rejected statements stay reachable here, unlike on the public pages.
        return selectors.statement_list(include_rejected=True).select_related("reviewed_by", "part_of")

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        split = self.admin_site.admin_view(self.split_view)
        # Before the stock URLs, whose "<path:object_id>/" would swallow it.
        return [
            path("<path:object_id>/split/", split, name="{}_{}_split".format(*info)),
            *super().get_urls(),
        ]

    def split_view(self, request, object_id: str):
        return statement_split_view(self, request, object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and object_id.isdigit():
            extra_context["open_duplicates"] = selectors.duplicate_candidates_open_count(
                statement_id=int(object_id),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="text", ordering="text")
    def excerpt(self, obj: Statement) -> str:
        return Truncator(obj.text).chars(90)

    @admin.display(description="speakers")
    def speaker_names(self, obj: Statement) -> str:
        return ", ".join(s.name for s in obj.speakers.all())

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, obj: Statement) -> int:
        return obj.source_count

    @admin.display(description="confidence", ordering="confidence")
    def confidence_display(self, obj: Statement) -> str:
        return f"{obj.confidence:.2f}"

    def service_delete(self, request, obj: Statement) -> None:
        statement_delete(statement=obj, user=request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Django leaves out a many-to-many field with a through model of its own; the speakers
        # go through StatementSpeaker only for the timeline's copies, and the services write
        # the links, so the field is the stock autocomplete.
        if db_field.name == "speakers":
            kwargs.setdefault("widget", AutocompleteSelectMultiple(db_field, self.admin_site))
            kwargs.setdefault("queryset", selectors.speaker_refs())
            return db_field.formfield(**kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        """Adding or changing (the change form, or a revert from history) goes through the services."""
        data = form.cleaned_data
        values = {
            "text": data["text"], "kind": data["kind"], "speakers": list(data["speakers"]),
            "said_on": data["said_on"], "said_on_precision": data["said_on_precision"],
        }
        if change:
            changed = set(form.changed_data)
            if changed & {"said_on", "said_on_precision"}:
                changed |= {"said_on", "said_on_precision"}  # the pair is checked together
            if changed & set(values):
                sent = {k: values[k] for k in changed & set(values)}
                statement_edit(statement=obj, user=request.user, **sent)
            return
        # A statement typed in by a reviewer is a human's: locked from the start. The admin
        # goes on with its own (unsaved) instance: it becomes the stored row.
        stored = statement_create_manual(user=request.user, **values)
        obj.pk, obj._state.adding = stored.pk, False
        obj.refresh_from_db()


# --- Duplicate pairs --------------------------------------------------------------


class StatementPairFilter(admin.SimpleListFilter):
    """``?statement=<id>``: the pairs a statement is part of (linked from its change form).

    Shown only when used: its one choice is the statement asked for.
    """

    title = "statement"
    parameter_name = "statement"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, f"#{value}")] if value and value.isdigit() else []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(Q(first_id=value) | Q(second_id=value))
        return queryset


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(admin.ModelAdmin):
    """Pairs of statements that read alike, for a reviewer to merge or dismiss.

    Rows are written by ``duplicates_find`` and settled only through
    ``duplicate_candidate_resolve`` (the actions): no adding, editing or deleting.
    """

    list_display = [
        "first_text", "first_speakers", "second_text", "second_speakers", "similarity_display", "status",
    ]
    list_filter = ["status", StatementPairFilter]
    search_fields = ["first__text", "second__text"]
    readonly_fields = ["first", "second", "similarity", "status", "created_at"]
    actions = [merge_duplicates, dismiss_duplicates]

    def get_queryset(self, request) -> QuerySet[DuplicateCandidate]:
        return selectors.duplicate_candidate_list()

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @staticmethod
    def _statement_link(statement: Statement) -> str:
        url = reverse("admin:quotes_statement_change", args=[statement.pk])
        return format_html('<a href="{}">#{}</a> {}', url, statement.pk, Truncator(statement.text).chars(90))

    @admin.display(description="first statement")
    def first_text(self, obj: DuplicateCandidate) -> str:
        return self._statement_link(obj.first)

    @admin.display(description="speakers")
    def first_speakers(self, obj: DuplicateCandidate) -> str:
        return ", ".join(s.name for s in obj.first.speakers.all())

    @admin.display(description="second statement")
    def second_text(self, obj: DuplicateCandidate) -> str:
        return self._statement_link(obj.second)

    @admin.display(description="speakers")
    def second_speakers(self, obj: DuplicateCandidate) -> str:
        return ", ".join(s.name for s in obj.second.speakers.all())

    @admin.display(description="similarity", ordering="similarity")
    def similarity_display(self, obj: DuplicateCandidate) -> str:
        return f"{obj.similarity:.2f}"


# --- Feeds ----------------------------------------------------------------------


@admin.action(description="Poll the selected feeds now")
def poll_feeds_now(modeladmin, request, queryset) -> None:
    count = feeds_poll_now(feed_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, f"{count} feed(s) queued for polling.", messages.INFO)


@admin.register(Feed)
class FeedAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """Feeds polled for articles; a failing one shows its error and when it is tried next."""

    form = FeedForm
    list_display = ["url", "outlet", "active", "last_polled_at", "last_new_entry_at", "consecutive_failures",
                    "next_poll_at", "last_error"]
    list_filter = ["active"]
    search_fields = ["url", "title"]
    list_select_related = ["outlet"]
    readonly_fields = [
        "etag", "last_modified", "last_polled_at", "last_new_entry_at", "last_error", "consecutive_failures",
        "created_at", "updated_at",
    ]
    actions = [poll_feeds_now]

    def get_queryset(self, request) -> QuerySet[Feed]:
        return selectors.feed_list()

    def service_save(self, request, obj: Feed) -> None:
        feed_save(feed=obj)

    def service_delete(self, request, obj: Feed) -> None:
        feed_delete(feed=obj)
