"""API filters: the query parameters of the statement and article lists.

Every parameter is validated by django-filter; a bad value (an unknown kind,
a date that is not a date, a speaker slug nobody has) is a 400, never a 500.

    /api/statements/?speaker=kim-jong-un&said_after=2025-01-01&kind=direct&q=missile
    /api/statements/?min_confidence=0.5   (the timeline's floor; verified ones pass)

Words to search for are capped and de-duplicated (quotes.search, for ``q``/``search`` on every
list): a longer one is a 400, so no anonymous request can make the database parse a book.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django_filters import rest_framework as filters
from django_filters.fields import ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import SearchFilter

from quotes.errors import InvalidInput
from quotes.models import Article, DuplicateCandidate, Statement
from quotes.search import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, search_text_clean
from quotes.selectors import (
    above_floor,
    speaker_by_slug,
    speaker_refs,
    speaker_walk_needed,
    statement_search,
    statements_by_speaker,
)

SEARCH_HELP = (
    f"Words the statement contains (all of them; at most {SEARCH_MAX_CHARS} characters and "
    f"{SEARCH_MAX_WORDS} different words). On PostgreSQL: English full-text search "
    "(\"a phrase\", -word, or), "
    "results best match first among the newest matching statements."
)

MIN_CONFIDENCE_HELP = (
    "A number from 0 to 1: statements the extractor found with at least this confidence, and those "
    "a person verified whatever their confidence (the timeline's rule). Unset, every statement is listed."
)


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that builds no FilterSet for a request naming none of its parameters.

    Building one copies every filter and makes a form: a sixth of an unfiltered list's time.
    A FilterSet whose filters all do nothing when their parameter is absent says so with
    ``inert_when_absent = True`` (a FilterSet with a default, such as
    DuplicateCandidateFilter's status, must not).
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if getattr(filterset_class, "inert_when_absent", False) and request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SearchTextField(forms.CharField):
    """Words to search for, capped and de-duplicated by quotes.search.search_text_clean."""

    def clean(self, value):
        value = super().clean(value)
        try:
            return search_text_clean(value) if value else value
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code="search_too_long") from exc


class CappedSearchFilter(SearchFilter):
    """DRF's ``?search=`` with the same caps (a 400 beyond), each word looked up once."""

    def get_search_terms(self, request):
        try:
            search_text_clean(request.query_params.get(self.search_param, ""))
        except InvalidInput as exc:
            raise ValidationError({self.search_param: [exc.message]}) from exc
        terms = {term.casefold(): term for term in reversed(super().get_search_terms(request))}
        return list(reversed(terms.values()))


class SpeakerSlugField(ModelChoiceField):
    """A speaker named by slug, read in one written-out query (selectors.speaker_by_slug) rather than
    the ORM's get(): the same value, the same "invalid_choice" error for a slug nobody has."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        speaker = speaker_by_slug(slug=str(value))
        if speaker is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value},
            )
        return speaker


class SpeakerFilter(filters.ModelChoiceFilter):
    field_class = SpeakerSlugField


class SearchTextFilter(filters.CharFilter):
    field_class = SearchTextField


class NoEmptyValuesFilterSet(filters.FilterSet):
    """A date, number or choice given empty (``?said_before=``) is a 400, as the schema says.

    django-filter takes an empty value for no filter at all; only text (``q``, ``outlet``) may be
    empty here.
    """

    def get_form_class(self):
        """django-filter's form class, made once per FilterSet class, not once per request.

        django-filter builds a new class on every request (and a new form field for each filter):
        a tenth of a filtered list's Python time. The fields depend on the class alone (no filter
        here reads the request to build its field), and each form copies them, as any form does.
        """
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._form_class = form_class
        return form_class

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, value in (self.data or {}).items():
            kind = self.filters.get(name)
            if kind is not None and value == "" and not isinstance(kind, filters.CharFilter):
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


class StatementFilter(NoEmptyValuesFilterSet):
    """Who said it, when, what kind, its review state, and words it contains."""

    inert_when_absent = True  # FilterBackend: no parameter, no filter

    speaker = SpeakerFilter(
        field_name="speakers", to_field_name="slug", queryset=speaker_refs(), method="filter_speaker",
        help_text="A speaker's slug.",
    )
    # After the speaker (the form's order is the order they apply in): see _date_field.
    said_after = filters.DateFilter(
        method="filter_said_after", help_text="Said on or after this date (YYYY-MM-DD).",
    )
    said_before = filters.DateFilter(
        method="filter_said_before", help_text="Said on or before this date (YYYY-MM-DD).",
    )
    kind = filters.ChoiceFilter(choices=Statement.Kind.choices)
    review_status = filters.ChoiceFilter(
        choices=Statement.Review.choices,
        help_text="Rejected statements are listed only when asked for with review_status=rejected.",
    )
    min_confidence = filters.NumberFilter(
        method="filter_min_confidence", min_value=0, max_value=1, help_text=MIN_CONFIDENCE_HELP,
    )
    q = SearchTextFilter(method="filter_text", help_text=SEARCH_HELP)
    search = SearchTextFilter(method="filter_text", help_text="Same as q.")

    class Meta:
        model = Statement
        fields = [
            "speaker", "said_after", "said_before", "kind", "review_status", "min_confidence", "q", "search",
        ]

    # Filters no index range of a speaker's links serves: with one of them a page of one speaker's
    # statements is a bounded walk of their links (selectors.speaker_walk()).
    WALKED = ("kind", "review_status", "min_confidence", "q", "search")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        narrowing = {name for name in self.WALKED if data.get(name) not in (None, "")}
        if "link_said_on" in queryset.query.annotations and narrowing:
            queryset = speaker_walk_needed(
                queryset, said_after=data.get("said_after"), said_before=data.get("said_before"),
                words_only=narrowing <= {"q", "search"},
            )
        return queryset

    # The raw schema states the range; drf-spectacular then takes the description from it.
    @extend_schema_field({"type": "number", "minimum": 0, "maximum": 1, "description": MIN_CONFIDENCE_HELP})
    def filter_min_confidence(self, queryset, name: str, value):
        return queryset.filter(above_floor(min_confidence=float(value)))

    def filter_speaker(self, queryset, name: str, value):
        # Through the speaker's links, whose index the list is then paged in.
        return statements_by_speaker(queryset, speaker=value)

    @staticmethod
    def _date_field(queryset) -> str:
        """One speaker's statements (a timeline, ``?speaker=``) are dated on their links.

        The link carries the statement's date (quotes.models.StatementSpeaker), and the speaker's
        (speaker, said_on, statement) index holds it: a range there is a range of the index, where
        the statement's own column is a filter on every statement of the record the walk reads
        (a leader's month in 2020 on the API: 122 ms, 32,000 statements read).
        """
        return "link_said_on" if "link_said_on" in queryset.query.annotations else "said_on"

    def filter_said_after(self, queryset, name: str, value):
        return queryset.filter(**{f"{self._date_field(queryset)}__gte": value})

    def filter_said_before(self, queryset, name: str, value):
        return queryset.filter(**{f"{self._date_field(queryset)}__lte": value})

    def filter_text(self, queryset, name: str, value: str):
        return statement_search(queryset, text=value)


class ArticleFilter(NoEmptyValuesFilterSet):
    """Articles by extraction state and outlet."""

    inert_when_absent = True  # FilterBackend: no parameter, no filter

    extraction_status = filters.ChoiceFilter(choices=Article.Status.choices)
    outlet = filters.CharFilter(field_name="outlet__name", lookup_expr="iexact", help_text="Outlet name.")

    class Meta:
        model = Article
        fields = ["extraction_status", "outlet"]


class DuplicateCandidateFilter(NoEmptyValuesFilterSet):
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
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = DuplicateCandidate.Status.OPEN
        super().__init__(data, *args, **kwargs)

    def filter_statement(self, queryset, name: str, value):
        return queryset.filter(Q(first_id=value) | Q(second_id=value))
