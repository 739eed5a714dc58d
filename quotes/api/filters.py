"""API filters: the query parameters of the statement and article lists.

Every parameter is validated by django-filter; a bad value (an unknown kind,
a date that is not a date, a speaker slug nobody has) is a 400, never a 500.

    /api/statements/?speaker=kim-jong-un&said_after=2025-01-01&kind=direct&q=missile
    /api/statements/?min_confidence=0.5   (the timeline's floor; verified ones pass)
"""

from __future__ import annotations

from django.db.models import F, Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

from quotes.models import Article, DuplicateCandidate, Statement
from quotes.normalize import normalize_text
from quotes.selectors import above_floor, speaker_refs

MIN_CONFIDENCE_HELP = (
    "A number from 0 to 1: statements the extractor found with at least this confidence, and those "
    "a person verified whatever their confidence (the timeline's rule). Unset, every statement is listed."
)


class StatementFilter(filters.FilterSet):
    """Who said it, when, what kind, its review state, and words it contains."""

    speaker = filters.ModelChoiceFilter(
        field_name="speakers", to_field_name="slug", queryset=speaker_refs(),
        help_text="A speaker's slug.",
    )
    said_after = filters.DateFilter(
        field_name="said_on", lookup_expr="gte", help_text="Said on or after this date (YYYY-MM-DD).",
    )
    said_before = filters.DateFilter(
        field_name="said_on", lookup_expr="lte", help_text="Said on or before this date (YYYY-MM-DD).",
    )
    kind = filters.ChoiceFilter(choices=Statement.Kind.choices)
    review_status = filters.ChoiceFilter(
        choices=Statement.Review.choices,
        help_text="Rejected statements are listed only when asked for with review_status=rejected.",
    )
    min_confidence = filters.NumberFilter(
        method="filter_min_confidence", min_value=0, max_value=1, help_text=MIN_CONFIDENCE_HELP,
    )
    q = filters.CharFilter(method="filter_text", help_text="Words the statement contains (all of them).")
    search = filters.CharFilter(method="filter_text", help_text="Same as q.")

    class Meta:
        model = Statement
        fields = [
            "speaker", "said_after", "said_before", "kind", "review_status", "min_confidence", "q", "search",
        ]

    # The raw schema states the range; drf-spectacular then takes the description from it.
    @extend_schema_field({"type": "number", "minimum": 0, "maximum": 1, "description": MIN_CONFIDENCE_HELP})
    def filter_min_confidence(self, queryset, name: str, value):
        return queryset.filter(above_floor(min_confidence=float(value)))

    def filter_text(self, queryset, name: str, value: str):
        # The folded text ignores case, punctuation and curly-vs-straight quote
        # marks, and PostgreSQL has a trigram index on it for this very LIKE.
        for word in normalize_text(value).split():
            queryset = queryset.filter(normalized_text__contains=word)
        return queryset


class ArticleFilter(filters.FilterSet):
    """Articles by extraction state and outlet."""

    extraction_status = filters.ChoiceFilter(choices=Article.Status.choices)
    outlet = filters.CharFilter(field_name="outlet__name", lookup_expr="iexact", help_text="Outlet name.")

    class Meta:
        model = Article
        fields = ["extraction_status", "outlet"]


class DuplicateCandidateFilter(filters.FilterSet):
    """Duplicate pairs by status (open unless asked otherwise) and by statement."""

    status = filters.ChoiceFilter(
        choices=DuplicateCandidate.Status.choices, help_text="Defaults to open: the pairs left to review.",
    )
    statement = filters.NumberFilter(method="filter_statement", help_text="Pairs this statement is part of.")

    class Meta:
        model = DuplicateCandidate
        fields = ["status", "statement"]

    def __init__(self, data=None, *args, **kwargs):
        # The review queue: without ?status= the list shows what is left to do.
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = DuplicateCandidate.Status.OPEN
        super().__init__(data, *args, **kwargs)

    def filter_statement(self, queryset, name: str, value):
        return queryset.filter(Q(first_id=value) | Q(second_id=value))


class NullsLastOrderingFilter(OrderingFilter):
    """``?ordering=`` with undated rows last either way and the id as tie-breaker.

    Databases disagree on where NULLs sort (PostgreSQL last, SQLite first);
    saying it keeps pages stable and identical on both.
    """

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        expressions = [
            F(field[1:]).desc(nulls_last=True) if field.startswith("-") else F(field).asc(nulls_last=True)
            for field in ordering
        ]
        if not any(field.lstrip("-") in {"pk", "id"} for field in ordering):
            expressions.append(F("pk").asc())
        return queryset.order_by(*expressions)

