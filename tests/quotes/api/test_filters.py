"""quotes/api/filters.py: the filter backend skips a FilterSet no parameter of the request names."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from quotes.api.filters import ArticleFilter, DuplicateCandidateFilter, FilterBackend, StatementFilter
from quotes.models import Article, DuplicateCandidate, Statement
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


class View:
    def __init__(self, filterset_class):
        self.filterset_class = filterset_class


def _filter(filterset_class, queryset, url):
    request = Request(APIRequestFactory().get(url))
    return FilterBackend().filter_queryset(request, queryset, View(filterset_class))


@pytest.mark.parametrize(
    ("filterset_class", "model"), [(StatementFilter, Statement), (ArticleFilter, Article)],
)
def test_a_request_naming_no_filter_gets_the_queryset_as_it_is(filterset_class, model):
    queryset = model.objects.all()

    assert _filter(filterset_class, queryset, "/x/?page_size=5&cursor=abc") is queryset


def test_a_named_filter_still_filters_and_checks_its_value():
    StatementFactory(kind=Statement.Kind.DIRECT)
    StatementFactory(kind=Statement.Kind.INDIRECT)

    found = _filter(StatementFilter, Statement.objects.all(), "/x/?kind=indirect")

    assert [s.kind for s in found] == [Statement.Kind.INDIRECT]


def test_a_filterset_with_a_default_is_applied_even_unnamed():
    queryset = DuplicateCandidate.objects.all()

    filtered = _filter(DuplicateCandidateFilter, queryset, "/x/")

    assert filtered is not queryset
    assert "open" in str(filtered.query)


def test_a_filtersets_form_class_is_made_once_and_each_form_validates_on_its_own():
    from django.http import QueryDict

    from quotes.api.export import StatementExportFilter

    bad = StatementFilter(QueryDict("kind=shout&said_after=2025-13-01"), queryset=Statement.objects.all())
    good = StatementFilter(QueryDict("kind=direct"), queryset=Statement.objects.all())

    assert type(bad.form) is type(good.form)  # one class for every request
    export = StatementExportFilter(QueryDict(""), queryset=Statement.objects.all())
    assert type(export.form) is not type(bad.form)  # a subclass has its own
    assert not bad.is_valid() and set(bad.form.errors) == {"kind", "said_after"}
    assert good.is_valid() and good.form.errors == {} and good.form.cleaned_data["kind"] == "direct"
    assert bad.form.fields["kind"] is not good.form.fields["kind"]  # each form its own copies
