"""The admin through its URLs: pages render, search finds, and writes go through services."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse

from quotes import selectors
from quotes.models import Appearance, Article, Speaker, Statement
from quotes.normalize import content_hash
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    OutletFactory,
    RoleFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["speaker", "outlet", "article", "statement"]
# Management forms of the two appearance inlines (extracted, manual) on articles and statements.
EMPTY_INLINES = {
    f"{prefix}-{field}": 0 for prefix in ("appearances", "appearances-2")
    for field in ("TOTAL_FORMS", "INITIAL_FORMS")
}


@pytest.fixture
def data():
    speaker = SpeakerFactory(name="Jane Doe", slug="jane-doe")
    SpeakerAliasFactory(speaker=speaker, name="Madam Speaker")
    RoleFactory(speaker=speaker, start=datetime.date(2020, 1, 1))
    statement = StatementFactory(text="We will win the harvest.", speakers=[speaker])
    appearance = AppearanceFactory(statement=statement)
    return {"speaker": speaker, "statement": statement, "article": appearance.article,
            "outlet": appearance.article.outlet}


def url(model, view, *args):
    return reverse(f"admin:quotes_{model}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_changelist_and_add_pages_render(admin_client, data, model):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    assert admin_client.get(url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_change_and_history_pages_render(admin_client, data, model):
    obj = data[model]
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200
    assert admin_client.get(url(model, "history", obj.pk)).status_code == 200


def test_anonymous_is_sent_to_login(client, data):
    response = client.get(url("statement", "changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_speaker_search_matches_aliases(admin_client, data):
    SpeakerFactory(name="John Roe")
    response = admin_client.get(url("speaker", "changelist"), {"q": "madam"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [data["speaker"]]


def test_statement_search_by_text_and_speaker_name(admin_client, data):
    StatementFactory(text="Something else entirely.")
    for query in ("harvest", "Jane Doe"):
        response = admin_client.get(url("statement", "changelist"), {"q": query})
        assert list(response.context["cl"].result_list) == [data["statement"]], query


def test_article_search_by_text(admin_client, data):
    ArticleFactory(title="Unrelated", text="Nothing here about crops.")
    response = admin_client.get(url("article", "changelist"), {"q": data["article"].text[:20]})
    assert list(response.context["cl"].result_list) == [data["article"]]


def test_statement_changelist_shows_sources_and_filters(admin_client, data):
    response = admin_client.get(url("statement", "changelist"), {"review_status__exact": "extracted"})
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert row.source_count == 1
    assert b"Jane Doe" in response.content


def test_statement_changelist_query_count_is_constant(admin_client, data, django_assert_max_num_queries):
    speaker = data["speaker"]
    for _ in range(30):
        AppearanceFactory(statement=StatementFactory(speakers=[speaker]))
    with django_assert_max_num_queries(20):
        assert admin_client.get(url("statement", "changelist")).status_code == 200


# --- The statement list by confidence: ConfidenceFilter and the confidence column ------------

LOW_BUT_VERIFIED = 0.3


@pytest.fixture
def by_confidence(settings):
    """One statement per confidence (around the floor, pinned at 0.5, and the 0.8 band), keyed by it.

    The one at 0.3 is verified: the timeline would show it, the confidence filter goes by the number.
    """
    settings.TIMELINE_MIN_CONFIDENCE = 0.5
    statements = {c: StatementFactory(confidence=c) for c in (0.1, 0.49, 0.5, 0.79, 0.8, 1.0)}
    statements[LOW_BUT_VERIFIED] = StatementFactory(
        confidence=LOW_BUT_VERIFIED, review_status=Statement.Review.VERIFIED,
    )
    return statements


def listed(response) -> list[Statement]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(("band", "confidences"), [
    ("below_floor", {0.1, LOW_BUT_VERIFIED, 0.49}),
    ("at_or_above_floor", {0.5, 0.79, 0.8, 1.0}),
    ("high", {0.8, 1.0}),
])
def test_statement_confidence_filter_lists_its_band(admin_client, by_confidence, band, confidences):
    response = admin_client.get(url("statement", "changelist"), {"confidence": band})
    assert set(listed(response)) == {by_confidence[c] for c in confidences}


def test_statement_confidence_floor_follows_the_setting(admin_client, by_confidence, settings):
    settings.TIMELINE_MIN_CONFIDENCE = 0.8
    response = admin_client.get(url("statement", "changelist"), {"confidence": "below_floor"})
    assert set(listed(response)) == {by_confidence[c] for c in (0.1, LOW_BUT_VERIFIED, 0.49, 0.5, 0.79)}
    assert b"below the timeline floor (under 0.8)" in response.content


def test_low_confidence_machine_findings_are_a_queue_with_the_review_filter(admin_client, by_confidence):
    response = admin_client.get(
        url("statement", "changelist"), {"confidence": "below_floor", "review_status__exact": "extracted"},
    )
    assert set(listed(response)) == {by_confidence[0.1], by_confidence[0.49]}


@pytest.mark.parametrize("value", ["bogus", "", "0.5", "below_floor'--"])
def test_statement_confidence_filter_ignores_an_unknown_value(admin_client, by_confidence, value):
    response = admin_client.get(url("statement", "changelist"), {"confidence": value})
    assert set(listed(response)) == set(by_confidence.values())


def test_statement_confidence_filter_counts_its_bands_with_facets(admin_client, by_confidence):
    html = admin_client.get(url("statement", "changelist"), {"_facets": "1"}).content.decode()
    assert "below the timeline floor (under 0.5) (3)" in html
    assert "at or above the floor (0.5 and up) (4)" in html
    assert "high (0.8 and up) (2)" in html


def test_statement_confidence_column_shows_two_decimals(admin_client, by_confidence):
    html = admin_client.get(url("statement", "changelist")).content.decode()
    for shown in ("0.10", "0.49", "0.50", "0.79", "0.80", "1.00", "0.30"):
        assert f'<td class="field-confidence_display">{shown}</td>' in html


@pytest.mark.parametrize(("prefix", "descending"), [("", False), ("-", True)])
def test_statement_confidence_column_sorts(admin_client, by_confidence, prefix, descending):
    changelist = admin_client.get(url("statement", "changelist")).context["cl"]
    column = changelist.list_display.index("confidence_display")
    response = admin_client.get(url("statement", "changelist"), {"o": f"{prefix}{column}"})
    assert [s.confidence for s in listed(response)] == sorted(by_confidence, reverse=descending)


def test_speaker_autocomplete_for_statements(admin_client, data):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "jane", "app_label": "quotes", "model_name": "statement", "field_name": "speakers"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Jane Doe"]


@pytest.mark.parametrize(("action", "status"), [
    ("verify_statements", Statement.Review.VERIFIED),
    ("reject_statements", Statement.Review.REJECTED),
])
def test_review_actions_record_the_reviewer(admin_client, admin_user, data, action, status):
    statement = data["statement"]
    response = admin_client.post(
        url("statement", "changelist"), {"action": action, "_selected_action": [statement.pk]},
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.review_status == status
    assert statement.reviewed_by == admin_user
    assert statement.reviewed_at is not None


def test_rerun_extraction_marks_pending_and_enqueues(
    admin_client, data, django_capture_on_commit_callbacks,
):
    article = data["article"]
    with mock.patch("quotes.tasks.extract_article.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("article", "changelist"),
            {"action": "rerun_extraction", "_selected_action": [article.pk]},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.extraction_status == Article.Status.PENDING
    delay.assert_called_once_with(article.pk)


def article_post(**overrides):
    outlet = OutletFactory(name="Daily Planet")
    post = {
        "title": "Harvest news", "url": "https://planet.example/harvest", "outlet": outlet.pk,
        "author": "Lois", "published_at_0": "2025-02-09", "published_at_1": "08:00:00",
        "text": '"We will win," Jane Doe said on Saturday.',
    }
    return {**post, **overrides}


def test_adding_an_article_goes_through_submit_and_enqueues(
    admin_client, admin_user, django_capture_on_commit_callbacks,
):
    with mock.patch("quotes.tasks.extract_article.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("article", "add"), article_post())
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Harvest news")
    assert article.content_hash == content_hash(article.text)
    assert article.submitted_by == admin_user
    assert article.extraction_status == Article.Status.PENDING
    delay.assert_called_once_with(article.pk)


def stored_error(article, same="text"):
    link = f'<a href="{url("article", "change", article.pk)}">#{article.pk} {article.title}</a>'
    return f"An article with the same {same} already exists: {link}"


def form_errors(response):
    return {field: list(messages) for field, messages in response.context["adminform"].form.errors.items()}


def test_adding_a_duplicate_article_shows_a_form_error(admin_client, data):
    existing = data["article"]
    with mock.patch("quotes.tasks.extract_article.delay") as delay:
        response = admin_client.post(url("article", "add"), article_post(text=existing.text))
    assert response.status_code == 200
    assert form_errors(response) == {"text": [stored_error(existing)]}
    assert stored_error(existing) in response.content.decode()  # a link, not escaped text
    delay.assert_not_called()


@pytest.mark.parametrize("day", ["0001-01-01", "1799-12-31", "9999-12-31"])
def test_a_publication_date_out_of_bounds_is_a_form_error(admin_client, data, day):
    with mock.patch("quotes.tasks.extract_article.delay") as delay:
        response = admin_client.post(url("article", "add"), article_post(published_at_0=day))
    assert response.status_code == 200
    assert "from 1800" in form_errors(response)["published_at"][0]
    assert not Article.objects.filter(title="Harvest news").exists()
    delay.assert_not_called()


def stored_unchanged(*articles):
    """These articles are the only ones stored, as they were (extraction state included)."""
    fields = ["pk", "title", "text", "content_hash", "url", "extraction_status", "updated_at"]
    assert list(Article.objects.order_by("pk").values_list(*fields)) == [
        tuple(getattr(article, field) for field in fields) for article in sorted(articles, key=lambda a: a.pk)
    ]


def _text_look_up_misses(misses: int):
    """The look-up of a stored text finds nothing the first ``misses`` times, as while uncommitted."""
    real = selectors.article_id_with_text
    calls = iter(range(misses))
    return mock.patch(
        "quotes.selectors.article_id_with_text",
        side_effect=lambda **kw: None if next(calls, None) is not None else real(**kw),
    )


@pytest.mark.parametrize("misses", [1, 99], ids=["seen-when-shown-again", "never-seen"])
def test_adding_an_article_that_lost_a_race_shows_a_form_error_not_a_500(admin_client, data, misses):
    # The other submission's article is stored but the form's look-up misses it, as it does
    # while that one is uncommitted: the insert meets the unique constraint instead.
    winner = data["article"]
    missing = _text_look_up_misses(misses)
    with missing, mock.patch("quotes.tasks.extract_article.delay") as delay:
        response = admin_client.post(url("article", "add"), article_post(text=winner.text))
    assert response.status_code == 200
    assert form_errors(response) == {"text": [stored_error(winner)]}
    stored_unchanged(winner)
    delay.assert_not_called()


def test_adding_an_article_that_lost_a_race_on_its_url_shows_a_form_error(admin_client, data):
    winner = data["article"]
    with mock.patch("django.forms.models.BaseModelForm.validate_unique"):  # the URL look-up misses
        response = admin_client.post(url("article", "add"), article_post(url=winner.url, text="Other text."))
    assert response.status_code == 200
    assert form_errors(response) == {"url": [stored_error(winner, "URL")]}
    stored_unchanged(winner)


def test_editing_article_text_rehashes_and_enqueues(admin_client, data, django_capture_on_commit_callbacks):
    article = data["article"]
    post = article_post(title=article.title, url=article.url, text="A corrected text.")
    post.update(EMPTY_INLINES)
    with mock.patch("quotes.tasks.extract_article.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("article", "change", article.pk), post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.content_hash == content_hash("A corrected text.")
    assert article.extraction_status == Article.Status.PENDING  # it was done
    delay.assert_called_once_with(article.pk)


def edit_post(article, **overrides):
    """The change form of ``article`` sent back as stored, but for ``overrides``."""
    stored = {
        "title": article.title, "url": article.url, "outlet": article.outlet_id, "author": article.author,
        "text": article.text, **EMPTY_INLINES,
    }
    return article_post(**{**stored, **overrides})


def test_editing_article_title_keeps_its_hash_and_extraction(
    admin_client, data, django_capture_on_commit_callbacks,
):
    article = data["article"]
    post = edit_post(article, title="Retitled")
    with mock.patch("quotes.tasks.extract_article.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("article", "change", article.pk), post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.content_hash, stored.extraction_status) == (
        "Retitled", article.content_hash, Article.Status.DONE,
    )
    delay.assert_not_called()


@pytest.mark.parametrize("misses", [1, 99], ids=["seen-when-shown-again", "never-seen"])
def test_editing_an_article_to_text_that_won_a_race_shows_a_form_error_not_a_500(
    admin_client, data, misses, django_capture_on_commit_callbacks,
):
    # An extracted article is edited to another's text while the form's look-up misses that one,
    # as it does while the edit that stored it is uncommitted: the update meets the unique hash.
    winner, edited = data["article"], ArticleFactory(extraction_status=Article.Status.DONE)
    missing = _text_look_up_misses(misses)
    with missing, mock.patch("quotes.tasks.extract_article.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("article", "change", edited.pk), edit_post(edited, text=winner.text))
    assert response.status_code == 200
    assert form_errors(response) == {"text": [stored_error(winner)]}
    stored_unchanged(winner, edited)  # not re-hashed, still extracted
    delay.assert_not_called()


def test_editing_an_article_to_a_url_that_won_a_race_shows_a_form_error(
    admin_client, data, django_capture_on_commit_callbacks,
):
    winner, edited = data["article"], ArticleFactory()
    with mock.patch("django.forms.models.BaseModelForm.validate_unique"), \
            mock.patch("quotes.tasks.extract_article.delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):  # the URL look-up misses
        response = admin_client.post(
            url("article", "change", edited.pk), edit_post(edited, url=winner.url, title="Retitled"),
        )
    assert response.status_code == 200
    assert form_errors(response) == {"url": [stored_error(winner, "URL")]}
    stored_unchanged(winner, edited)
    delay.assert_not_called()


def statement_post(statement, **overrides):
    post = {
        "text": statement.text, "kind": statement.kind,
        "speakers": [s.pk for s in statement.speakers.all()],
        "said_on": statement.said_on.isoformat() if statement.said_on else "",
        "said_on_precision": statement.said_on_precision, **EMPTY_INLINES,
    }
    return {**post, **overrides}


def test_editing_a_statement_locks_it_and_records_the_reviewer(admin_client, admin_user, data):
    statement = data["statement"]
    response = admin_client.post(
        url("statement", "change", statement.pk),
        statement_post(statement, text="We will win the whole harvest.", said_on="2025-02-01",
                       said_on_precision="month"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement.refresh_from_db()
    assert statement.text == "We will win the whole harvest."
    assert statement.edited is True
    assert statement.reviewed_by == admin_user
    assert statement.said_on_precision == "month"
    assert statement.said_on_method == Statement.DateMethod.MANUAL
    assert statement.history.first().history_user == admin_user


def test_saving_a_statement_unchanged_does_not_lock_it(admin_client, data):
    statement = data["statement"]
    response = admin_client.post(url("statement", "change", statement.pk), statement_post(statement))
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.edited is False


def test_statement_date_without_precision_is_a_form_error(admin_client, data):
    statement = data["statement"]
    response = admin_client.post(
        url("statement", "change", statement.pk), statement_post(statement, said_on_precision="unknown"),
    )
    assert response.status_code == 200
    assert "said_on_precision" in response.context["adminform"].form.errors


def test_extracted_appearances_are_read_only_on_the_statement(admin_client, data):
    response = admin_client.get(url("statement", "change", data["statement"].pk))
    formsets = {f.formset.prefix: f for f in response.context["inline_admin_formsets"]}
    extracted = next(f for f in formsets.values() if "read-only" in str(f.opts.verbose_name_plural))
    assert "start" in extracted.readonly_fields
    assert not extracted.has_add_permission
    assert Appearance.objects.filter(statement=data["statement"]).count() == 1


def test_the_engines_provenance_of_a_report_is_shown_read_only(admin_client):
    article = ArticleFactory(text='"We will win," she said, "the harvest." State radio relayed it on Friday.')
    statement = StatementFactory(text="We will win … the harvest.")
    AppearanceFactory(statement=statement, article=article, start=1, end=38, pieces=[[1, 13], [26, 38]],
                      reported_via="State radio", said_on=datetime.date(2025, 2, 7), said_on_precision="day",
                      said_on_method="context", date_evidence="on Friday", kind="direct", confidence=0.7)
    response = admin_client.get(url("statement", "change", statement.pk))
    extracted = next(f for f in response.context["inline_admin_formsets"]
                     if "read-only" in str(f.opts.verbose_name_plural))
    shown = {"reported_via", "said_on_method", "date_evidence", "kind", "confidence", "piece_words"}
    assert shown <= set(extracted.readonly_fields)
    page = response.content.decode()
    for words in ("State radio", "on Friday", "context", "0.7", "We will win \u2026 the harvest."):
        assert words in page


def add_manual_appearance(client, article, precision, **fields):
    """Post the article's change form with one new manual appearance of a new undated statement."""
    statement = StatementFactory(text="Another line.", said_on=None, said_on_precision="unknown")
    post = article_post(title=article.title, url=article.url, text=article.text)
    post.update({**EMPTY_INLINES, "appearances-2-TOTAL_FORMS": 1,
                 "appearances-2-0-statement": statement.pk, "appearances-2-0-start": 0,
                 "appearances-2-0-end": 5, "appearances-2-0-said_on": "2025-02-03",
                 "appearances-2-0-said_on_precision": precision,
                 **{f"appearances-2-0-{name}": value for name, value in fields.items()}})
    return statement, client.post(url("article", "change", article.pk), post)


def test_a_reviewer_types_the_relay_of_a_manual_appearance_but_not_the_engines_provenance(admin_client, data):
    article = data["article"]
    statement, response = add_manual_appearance(
        admin_client, article, "day", reported_via="Radio Kalmar", kind="direct", confidence="0.99",
        said_on_method="explicit",
    )
    assert response.status_code == 302
    appearance = Appearance.objects.get(statement=statement)
    assert appearance.reported_via == "Radio Kalmar"
    # The method is the service's (a reviewer's date is "manual"); kind and confidence stay unset.
    assert (appearance.said_on_method, appearance.kind, appearance.confidence) == ("manual", "", None)
    manual = admin_client.get(url("article", "change", article.pk)).context["inline_admin_formsets"][1]
    assert {"said_on_method", "kind", "confidence", "piece_words"} <= set(manual.readonly_fields)


def test_article_without_url_is_stored_with_null_url(admin_client, django_capture_on_commit_callbacks):
    with mock.patch("quotes.tasks.extract_article.delay"), django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("article", "add"), article_post(url=""))
    assert response.status_code == 302
    assert Article.objects.get(title="Harvest news").url is None


def test_reviewer_adds_a_manual_appearance_on_the_article(admin_client, data):
    statement, response = add_manual_appearance(admin_client, data["article"], "week")
    assert response.status_code == 302
    appearance = Appearance.objects.get(statement=statement)
    assert appearance.origin == Appearance.Origin.MANUAL
    statement.refresh_from_db()
    assert (statement.said_on, statement.said_on_precision) == (datetime.date(2025, 2, 3), "week")


def test_adding_a_statement_in_the_admin_locks_it(admin_client, admin_user, data):
    post = {"text": " A typed-in quote. ", "kind": "direct", "speakers": [data["speaker"].pk],
            "said_on": "", "said_on_precision": "unknown", **EMPTY_INLINES}
    response = admin_client.post(url("statement", "add"), post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement = Statement.objects.get(text="A typed-in quote.")
    assert statement.edited and statement.reviewed_by == admin_user
    assert list(statement.speakers.all()) == [data["speaker"]]
    assert statement.fingerprint


def test_a_statement_added_with_its_appearance_is_stored_and_dated_by_it(admin_client, data):
    article = data["article"]
    post = {"text": "A typed-in quote.", "kind": "direct", "speakers": [data["speaker"].pk],
            "said_on": "", "said_on_precision": "unknown", **EMPTY_INLINES,
            "appearances-2-TOTAL_FORMS": 1, "appearances-2-0-article": article.pk,
            "appearances-2-0-start": 1, "appearances-2-0-end": 6, "appearances-2-0-said_on": "2025-02-08",
            "appearances-2-0-said_on_precision": "day"}
    response = admin_client.post(url("statement", "add"), post)
    assert response.status_code == 302, response.context["adminform"].form.errors
    statement = Statement.objects.get(text="A typed-in quote.")
    assert statement.appearances.get().origin == Appearance.Origin.MANUAL
    # The reviewer set no date on the statement itself, so it is locked with the one it typed: none.
    assert statement.is_locked and statement.said_on is None


def test_a_manual_appearance_out_of_the_text_is_a_form_error_and_nothing_is_stored(admin_client, data):
    article, statement = data["article"], data["statement"]
    post = article_post(title=article.title, url=article.url, text=article.text)
    post.update({**EMPTY_INLINES, "appearances-2-TOTAL_FORMS": 1,
                 "appearances-2-0-statement": statement.pk, "appearances-2-0-start": 0,
                 "appearances-2-0-end": len(article.text) + 1, "appearances-2-0-said_on": "",
                 "appearances-2-0-said_on_precision": "unknown"})
    response = admin_client.post(url("article", "change", article.pk), post)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][1].formset.errors
    assert "end" in errors[0]
    assert Appearance.objects.count() == 1


def test_a_reviewer_deletes_a_manual_appearance_and_the_date_goes_with_it(admin_client, data):
    article = data["article"]
    statement = StatementFactory(text="Another line.", said_on=None, said_on_precision="unknown")
    manual = AppearanceFactory(statement=statement, article=article, start=2, end=7,
                               origin=Appearance.Origin.MANUAL, said_on=datetime.date(2025, 2, 3),
                               said_on_precision="day")
    post = article_post(title=article.title, url=article.url, text=article.text)
    post.update({**EMPTY_INLINES, "appearances-2-TOTAL_FORMS": 1, "appearances-2-INITIAL_FORMS": 1,
                 "appearances-2-0-id": manual.pk, "appearances-2-0-statement": statement.pk,
                 "appearances-2-0-start": 2, "appearances-2-0-end": 7,
                 "appearances-2-0-said_on": "2025-02-03", "appearances-2-0-said_on_precision": "day",
                 "appearances-2-0-DELETE": "on"})
    # The machine's appearance is listed (read-only) in the first inline.
    post.update({"appearances-TOTAL_FORMS": 1, "appearances-INITIAL_FORMS": 1,
                 "appearances-0-id": data["statement"].appearances.get().pk})
    response = admin_client.post(url("article", "change", article.pk), post)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    assert not Appearance.objects.filter(pk=manual.pk).exists()
    statement.refresh_from_db()
    assert statement.said_on is None


def _speaker_post(speaker, **aliases):
    post = {"name": speaker.name, "slug": speaker.slug, "description": "", "reviewed": "on",
            "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0, "roles-TOTAL_FORMS": 0,
            "roles-INITIAL_FORMS": 0}
    post.update(aliases)
    return post


def test_an_alias_the_speaker_has_is_a_form_error(admin_client):
    speaker = SpeakerFactory(name="Rhea Vale")
    SpeakerAliasFactory(speaker=speaker, name="Madam Vale")
    existing = speaker.aliases.get()
    post = _speaker_post(speaker, **{
        "aliases-TOTAL_FORMS": 2, "aliases-INITIAL_FORMS": 1, "aliases-0-id": existing.pk,
        "aliases-0-speaker": speaker.pk, "aliases-0-name": "Madam Vale", "aliases-0-kind": "variant",
        "aliases-0-language": "en", "aliases-1-name": "madam  VALE", "aliases-1-kind": "variant",
        "aliases-1-language": "en",
    })
    response = admin_client.post(url("speaker", "change", speaker.pk), post)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[1] == {"name": ["This speaker already has this alias."]}
    assert speaker.aliases.count() == 1


def test_an_alias_added_in_the_admin_is_found_by_its_folded_form(admin_client):
    speaker = SpeakerFactory(name="Rhea Vale")
    post = _speaker_post(speaker, **{
        "aliases-TOTAL_FORMS": 1, "aliases-0-name": "  The Iron Lady ", "aliases-0-kind": "variant",
        "aliases-0-language": "en",
    })
    response = admin_client.post(url("speaker", "change", speaker.pk), post)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert selectors.speaker_match(name="the iron lady").speaker == speaker


def test_deleting_a_quoted_speaker_in_the_admin_is_refused_with_a_message(admin_client, data):
    speaker = data["speaker"]
    response = admin_client.post(url("speaker", "delete", speaker.pk), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "merge the speaker into another instead" in response.content.decode()
    assert speaker.aliases.exists() and speaker.statements.exists()  # nothing half-deleted


def test_the_delete_action_deletes_what_it_may_and_reports_the_rest(admin_client, data):
    unquoted = SpeakerFactory(name="Nobody Quoted")
    post = {"action": "delete_selected", "_selected_action": [unquoted.pk, data["speaker"].pk]}
    confirm = admin_client.post(url("speaker", "changelist"), post)
    assert "Are you sure" in confirm.content.decode() and Speaker.objects.count() == 2
    response = admin_client.post(url("speaker", "changelist"), {**post, "post": "yes"}, follow=True)
    body = response.content.decode()
    assert "Deleted 1." in body and "merge the speaker" in body
    assert set(Speaker.objects.values_list("pk", flat=True)) == {data["speaker"].pk}
