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

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.urls import path, reverse
from django.utils import timezone
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
from quotes.admin_views import statement_split_view
from quotes.errors import DuplicateArticle
from quotes.models import (
    Appearance,
    Article,
    DuplicateCandidate,
    Outlet,
    Role,
    Speaker,
    SpeakerAlias,
    Statement,
)
from quotes.normalize import content_hash, normalize_name, normalize_text, statement_fingerprint
from quotes.services.articles import article_edit, article_submit
from quotes.services.statements import statement_dates_reconcile, statement_edit

admin.site.site_header = "QuoteTracker administration"
admin.site.site_title = "QuoteTracker admin"
admin.site.index_title = "Speakers, statements and sources"

# --- Speakers -------------------------------------------------------------------


class SpeakerAliasForm(forms.ModelForm):
    """Fills the folded ``normalized`` form that lookups match on, and refuses a duplicate alias."""

    class Meta:
        model = SpeakerAlias
        fields = ["name", "kind", "language", "valid_from", "valid_to"]

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name:
            # Not a form field (editable=False), so set here: _post_clean keeps it.
            self.instance.normalized = normalize_name(name)
            if not self.instance.normalized:
                self.add_error("name", "The alias needs letters or digits.")
            elif self.instance.speaker_id:
                clash = SpeakerAlias.objects.filter(
                    speaker_id=self.instance.speaker_id, normalized=self.instance.normalized,
                    language=cleaned.get("language") or "en",
                ).exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error("name", "This speaker already has this alias.")
        return cleaned


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    form = SpeakerAliasForm
    extra = 1


class RoleInline(admin.TabularInline):
    model = Role
    fields = ["title", "organization", "start", "end", "wikidata_position"]
    extra = 1


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
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

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, obj: Speaker) -> int:
        return obj.statement_count


# --- Outlets --------------------------------------------------------------------


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]
    readonly_fields = ["created_at", "updated_at"]


# --- Appearances (inlines on articles and statements) -----------------------------

APPEARANCE_FIELDS = [
    "article", "statement", "start", "end", "speaker_as_written", "cue", "context",
    "said_on", "said_on_precision", "date_evidence", "origin", "extractor_version",
]


class ExtractedAppearanceInline(admin.TabularInline):
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


class ManualAppearanceForm(forms.ModelForm):
    """An appearance a reviewer adds: origin manual, offsets checked against the article text."""

    class Meta:
        model = Appearance
        fields = [
            "article", "statement", "start", "end", "speaker_as_written", "cue", "context",
            "said_on", "said_on_precision", "date_evidence",
        ]

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article") or getattr(self.instance, "article", None)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None:
            if end <= start:
                self.add_error("end", "The end offset must be after the start.")
            elif article is not None and end > len(article.text):
                self.add_error("end", f"The article text has only {len(article.text)} characters.")
        if (cleaned.get("said_on") is None) != (cleaned.get("said_on_precision") == "unknown"):
            self.add_error("said_on_precision", "A date needs a precision; no date means 'unknown'.")
        self.instance.origin = Appearance.Origin.MANUAL
        return cleaned


class ManualAppearanceInline(admin.TabularInline):
    """Appearances a reviewer added: editable."""

    model = Appearance
    form = ManualAppearanceForm
    verbose_name = "appearance (manual)"
    verbose_name_plural = "appearances (manual)"
    extra = 0
    parent_fk = "article"
    autocomplete_fields = ["statement", "article"]

    def get_fields(self, request, obj=None):
        return [f for f in ManualAppearanceForm.Meta.fields if f != self.parent_fk]

    def get_queryset(self, request) -> QuerySet[Appearance]:
        return (
            super().get_queryset(request).filter(origin=Appearance.Origin.MANUAL)
            .select_related("article", "statement")
        )


class AppearanceFormsetsMixin:
    """After appearances change, the statements they belong to re-derive their dates."""

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is not Appearance:
            return
        touched = {a.statement_id for a in formset.new_objects}
        touched |= {a.statement_id for a, _ in formset.changed_objects}
        touched |= {a.statement_id for a in formset.deleted_objects}
        for statement in Statement.objects.filter(pk__in=touched):
            statement_dates_reconcile(statement=statement)


# --- Articles -------------------------------------------------------------------


def stored_article_error(article: Article, same: str) -> str:
    """'An article with the same text already exists: <a href=...>#7 Title</a>' (safe HTML)."""
    link = reverse("admin:quotes_article_change", args=[article.pk])
    return format_html(
        'An article with the same {} already exists: <a href="{}">#{} {}</a>', same, link, article.pk,
        article.title,
    )


class ArticleForm(forms.ModelForm):
    """Validates an article the way ``article_submit`` would, so errors show on the form."""

    url = forms.URLField(max_length=1000, required=False, empty_value=None, assume_scheme="https")
    # The id of the article a concurrent add or edit stored with this text or URL between this
    # form's validation and its save (ArticleAdmin.changeform_view sets it and shows the form
    # again): reported even where the look-ups below missed it, so the form cannot pass twice.
    stored_first: int | None = None

    class Meta:
        model = Article
        fields = ["title", "url", "outlet", "author", "published_at", "text"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("The article text is empty.")
        if len(text) > settings.ARTICLE_MAX_CHARS:
            raise forms.ValidationError(f"The text is longer than {settings.ARTICLE_MAX_CHARS} characters.")
        stored = (
            Article.objects.filter(content_hash=content_hash(text)).exclude(pk=self.instance.pk)
            .only("pk", "title").first()
        )
        if stored is not None:
            raise forms.ValidationError(stored_article_error(stored, "text"))
        return text

    def validate_unique(self) -> None:
        super().validate_unique()  # the URL; runs after every clean_<field>
        if self.stored_first is None or self.errors:
            return
        stored = Article.objects.filter(pk=self.stored_first).only("pk", "title", "text").first()
        if stored is None:
            return  # gone since: nothing stands in the way now
        if stored.text == self.cleaned_data["text"]:
            self.add_error("text", stored_article_error(stored, "text"))
        else:
            self.add_error("url", stored_article_error(stored, "URL"))

    def submit(self, *, user) -> Article:
        """Store a new article through the service (which queues its extraction)."""
        data = self.cleaned_data
        return article_submit(
            title=data["title"], text=data["text"], published_at=data["published_at"],
            url=data.get("url") or None, outlet=data["outlet"].name if data.get("outlet") else None,
            author=data.get("author") or "", submitted_by=user,
        )


class ArticleExtractedAppearanceInline(ExtractedAppearanceInline):
    parent_fk = "article"


class ArticleManualAppearanceInline(ManualAppearanceInline):
    parent_fk = "article"
    autocomplete_fields = ["statement"]


@admin.register(Article)
class ArticleAdmin(AppearanceFormsetsMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = ["title", "outlet", "published_at", "extraction_status", "statement_count"]
    list_filter = ["extraction_status", "outlet", "published_at"]
    search_fields = ["title", "text", "url"]
    list_select_related = ["outlet"]
    readonly_fields = [
        "content_hash", "extraction_status", "extraction_error", "extractor_version", "extracted_at",
        "submitted_by", "created_at", "updated_at",
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

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            return  # already stored by article_submit in save_form
        article_edit(article=obj, fields=form.changed_data)
        if "text" in form.changed_data:
            self.message_user(request, "The text changed: extraction was queued again.", messages.INFO)

    def save_related(self, request, form, formsets, change) -> None:
        if change:
            form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- Statements -----------------------------------------------------------------


class StatementForm(forms.ModelForm):
    """The fields a reviewer may correct; the date and its precision must agree."""

    class Meta:
        model = Statement
        fields = ["text", "kind", "speakers", "said_on", "said_on_precision"]

    def clean(self):
        cleaned = super().clean()
        said_on, precision = cleaned.get("said_on"), cleaned.get("said_on_precision")
        if precision and (said_on is None) != (precision == Statement.Precision.UNKNOWN):
            self.add_error(
                "said_on_precision", "A date needs a precision other than unknown; no date means unknown.",
            )
        text = cleaned.get("text")
        if text is not None and not text.strip():
            self.add_error("text", "A statement's text cannot be empty.")
        if self.instance.pk is None and text and "speakers" in cleaned:
            fingerprint = statement_fingerprint(text.strip(), [s.pk for s in cleaned["speakers"]])
            if Statement.objects.filter(fingerprint=fingerprint).exists():
                self.add_error("text", "This statement by these speakers is already stored.")
        return cleaned


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
class StatementAdmin(AppearanceFormsetsMixin, SimpleHistoryAdmin):
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

    def save_model(self, request, obj, form, change) -> None:
        obj._history_user = request.user
        # Changes (from the change form or a revert from history) go through the service.
        if change:
            self._edit(request, obj, form)
            return
        # A statement typed in by a reviewer is a human's: locked from the start.
        obj.text = obj.text.strip()
        obj.normalized_text = normalize_text(obj.text)
        obj.fingerprint = statement_fingerprint(obj.text, [s.pk for s in form.cleaned_data["speakers"]])
        obj.said_on_method = (
            Statement.DateMethod.MANUAL if obj.said_on else Statement.DateMethod.UNKNOWN
        )
        obj.edited, obj.reviewed_by, obj.reviewed_at = True, request.user, timezone.now()
        super().save_model(request, obj, form, change)

    def _edit(self, request, obj: Statement, form) -> None:
        """Pass what differs from the stored row to ``statement_edit`` (which locks it)."""
        stored = Statement.objects.get(pk=obj.pk)
        data = form.cleaned_data
        changes = {}
        if data["text"].strip() != stored.text:
            changes["text"] = data["text"]
        if data["kind"] != stored.kind:
            changes["kind"] = data["kind"]
        if (data["said_on"], data["said_on_precision"]) != (stored.said_on, stored.said_on_precision):
            changes["said_on"], changes["said_on_precision"] = data["said_on"], data["said_on_precision"]
        if {s.pk for s in data["speakers"]} != set(stored.speakers.values_list("pk", flat=True)):
            changes["speakers"] = list(data["speakers"])
        if changes:
            statement_edit(statement=obj, user=request.user, **changes)


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
