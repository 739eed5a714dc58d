"""The public pages through their URLs: the speakers list and a speaker's timeline."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quotes import keyset
from quotes.models import Statement
from quotes.services.counters import counters_refresh_all
from quotes.templatetags.quotes_extras import http_url, said_on
from quotes.views import TIMELINE_PAGE_SIZE
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    OutletFactory,
    RoleFactory,
    SpeakerFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def speaker():
    speaker = SpeakerFactory(name="Jane Doe", slug="jane-doe", description="Prime Minister of Ruritania")
    RoleFactory(speaker=speaker, title="Opposition Leader", organization="Ruritania",
                start=D(2019, 1, 1), end=D(2024, 12, 31))
    RoleFactory(speaker=speaker, title="Prime Minister", organization="Ruritania", start=D(2025, 1, 1))
    return speaker


def say(speaker, text, said_on_, precision, **kwargs):
    return StatementFactory(text=text, said_on=said_on_, said_on_precision=precision,
                            speakers=[speaker], **kwargs)


def timeline(client, speaker, **params):
    return client.get(reverse("quotes:speaker-timeline", args=[speaker.slug]), params)


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r'<h2 class="date-heading"[^>]*>(.*?)</h2>', html, re.S)]


@pytest.mark.parametrize(("value", "precision", "expected"), [
    (D(2025, 2, 8), "day", "8 February 2025"),
    (D(2025, 2, 3), "week", "week of 3 February 2025"),
    (D(2025, 2, 1), "month", "February 2025"),
    (D(2025, 1, 1), "year", "2025"),
    (None, "unknown", "Date unknown"),
])
def test_said_on_filter_formats_by_precision(value, precision, expected):
    assert said_on(value, precision) == expected


def test_only_web_urls_become_links():
    assert http_url("https://news.example/a") == "https://news.example/a"
    assert http_url("javascript:alert(1)") == ""
    assert http_url(None) == ""


def test_home_links_to_speakers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/speakers/"' in response.content.decode()


def test_speaker_list_shows_name_description_count_and_link(client, speaker):
    say(speaker, "One.", D(2025, 2, 8), "day")
    say(speaker, "Two.", D(2025, 2, 9), "day")
    say(speaker, "Rejected.", D(2025, 2, 9), "day", review_status=Statement.Review.REJECTED)
    SpeakerFactory(name="John Roe", slug="john-roe")
    html = client.get("/speakers/").content.decode()
    assert "Jane Doe" in html and "Prime Minister of Ruritania" in html
    assert "2 statements" in html
    assert 'href="/speakers/jane-doe/"' in html
    assert "0 statements" in html


def test_timeline_groups_by_date_in_order_with_precision_headings(client, speaker):
    say(speaker, "Undated.", None, "unknown")
    say(speaker, "Yearly.", D(2023, 1, 1), "year")
    say(speaker, "Weekly.", D(2025, 2, 3), "week")
    say(speaker, "Daily one.", D(2025, 2, 8), "day")
    say(speaker, "Daily two.", D(2025, 2, 8), "day")
    say(speaker, "Monthly.", D(2025, 3, 1), "month")
    response = timeline(client, speaker)
    assert response.status_code == 200
    html = response.content.decode()
    assert headings(html) == [
        "2023", "week of 3 February 2025", "8 February 2025", "March 2025", "Date unknown",
    ]
    texts = ("Yearly.", "Weekly.", "Daily one.", "Daily two.", "Monthly.", "Undated.")
    order = [html.index(t) for t in texts]
    assert order == sorted(order)
    assert '<time datetime="2025-02-08">8 February 2025</time>' in html


def test_a_source_whose_publication_date_was_not_found_gives_none_on_the_timeline_or_the_api(client, speaker):
    came_in = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)  # when it came in, not published
    unknown = ArticleFactory(title="Undated report", published_at=came_in, published_known=False)
    dated = ArticleFactory(title="Dated report")  # 9 February 2025
    quote = say(speaker, "We will win the harvest.", D(2025, 2, 8), "day")
    AppearanceFactory(statement=quote, article=dated)
    AppearanceFactory(statement=quote, article=unknown)
    html = timeline(client, speaker).content.decode()
    undated = html[html.index("Undated report") - 400:html.index("Undated report")]
    assert "publication date not found" in undated[undated.rindex("<li>"):]
    assert "30 Nov 2026" not in html and "2026-11-30" not in html
    assert "9 Feb 2025" in html
    for body in (client.get(f"/api/statements/{quote.pk}/").json(),
                 client.get("/api/statements/", {"speaker": "jane-doe"}).json()["results"][0]):
        known = {a["article"]["title"]: a["article"]["published_known"] for a in body["appearances"]}
        assert known == {"Dated report": True, "Undated report": False}


def test_timeline_shows_kind_role_sources_unreviewed_mark_and_article_links(client, speaker):
    outlet = OutletFactory(name="Daily Planet")
    first = ArticleFactory(title="Harvest vote", url="https://planet.example/harvest", outlet=outlet)
    second = ArticleFactory(title="Vote later", url="https://other.example/vote")
    quote = say(speaker, "We will win the harvest.", D(2025, 2, 8), "day")
    AppearanceFactory(statement=quote, article=first)
    AppearanceFactory(statement=quote, article=second)
    old = say(speaker, "They must resign.", D(2022, 5, 1), "month", kind=Statement.Kind.INDIRECT,
              review_status=Statement.Review.VERIFIED)
    AppearanceFactory(statement=old, article=first, start=5, end=9)

    html = timeline(client, speaker).content.decode()
    harvest = html[html.index("We will win the harvest."):]
    harvest = harvest[:harvest.index("</article>")]
    assert "direct quote" in harvest
    assert "Prime Minister, Ruritania" in harvest
    assert '<span class="tag source-count">2 sources</span>' in harvest
    assert "unreviewed" in harvest
    assert '<a class="article-link" href="https://planet.example/harvest"' in harvest
    assert "Harvest vote" in harvest and "Daily Planet" in harvest and "9 Feb 2025" in harvest
    assert "https://other.example/vote" in harvest
    first_reported = '<dd class="first-reported"><time datetime="2025-02-09T08:00:00+00:00">9 February 2025'
    assert first_reported in harvest

    resign = html[html.index("They must resign."):]
    resign = resign[:resign.index("</article>")]
    assert "indirect speech" in resign
    assert "Opposition Leader, Ruritania" in resign
    assert '<span class="tag source-count">1 source</span>' in resign
    assert "unreviewed" not in resign


def test_timeline_dates_read_as_the_date_filter_would_in_the_local_zone(client, speaker, settings):
    """The page formats its dates itself (quotes.views._Labels): the same text as ``|date``."""
    settings.TIME_ZONE = "America/New_York"  # 03:00 UTC on 1 March is still 28 February there
    reported = datetime.datetime(2025, 3, 1, 3, 0, tzinfo=datetime.UTC)
    quote = say(speaker, "Late news.", D(2025, 2, 28), "day", first_reported_at=reported)
    AppearanceFactory(statement=quote, article=ArticleFactory(outlet=None, published_at=reported))
    for month in range(1, 13):
        day = datetime.datetime(2024, month, 15, 12, tzinfo=datetime.UTC)
        AppearanceFactory(statement=say(speaker, f"Month {month}.", D(2024, month, 15), "day"),
                          article=ArticleFactory(published_at=day))

    html = timeline(client, speaker).content.decode()
    with timezone.override("America/New_York"):
        first = Template('{{ t|date:"c" }}">{{ t|date:"j F Y" }}').render(Context({"t": reported}))
        months = [Template('{{ t|date:"c" }}">{{ t|date:"j M Y" }}').render(Context({"t": t}))
                  for t in [reported] + [datetime.datetime(2024, m, 15, 12, tzinfo=datetime.UTC)
                                         for m in range(1, 13)]]
    assert first == "2025-02-28T22:00:00-05:00\">28 February 2025"
    assert f'<dd class="first-reported"><time datetime="{first}</time>' in html
    for published in months:
        assert f'<time class="published" datetime="{published}</time>' in html
    assert '<span class="outlet">Unknown outlet</span>' in html


def test_timeline_hides_rejected_statements(client, speaker):
    say(speaker, "Never said this.", D(2025, 2, 8), "day", review_status=Statement.Review.REJECTED)
    assert "Never said this." not in timeline(client, speaker).content.decode()


def test_quote_text_is_escaped(client, speaker):
    quote = say(speaker, 'He wrote <script>alert(1)</script> and <b>bold</b> "words".', D(2025, 2, 8), "day")
    AppearanceFactory(statement=quote, article=ArticleFactory(title="<i>Title</i>"))
    html = timeline(client, speaker).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;i&gt;Title&lt;/i&gt;" in html


def test_reported_speech_shows_the_sentence_it_was_reported_in_escaped(client, speaker):
    indirect = say(speaker, "the <new> tariff plan", D(2025, 2, 8), "day", kind=Statement.Kind.INDIRECT)
    AppearanceFactory(statement=indirect, context="Jane Doe criticized the <new> tariff plan on Monday.")
    quote = say(speaker, "We will win.", D(2025, 2, 8), "day", kind=Statement.Kind.DIRECT)
    AppearanceFactory(statement=quote, context='"We will win," Jane Doe said.')
    html = timeline(client, speaker).content.decode()
    contexts = re.findall(r'<p class="statement-context">(.*?)</p>', html, re.S)
    assert contexts == ['<span class="context-label">As reported:</span> '
                        "Jane Doe criticized the &lt;new&gt; tariff plan on Monday."]


def test_unknown_slug_is_404(client, db):
    assert client.get("/speakers/nobody-here/").status_code == 404


@pytest.mark.parametrize("show", ["", "all", "quotes"])
def test_timeline_query_count_is_constant(client, speaker, show):
    def add(n):
        for i in range(n):
            statement = StatementFactory(speakers=[speaker, SpeakerFactory()], confidence=0.3 + (i % 2) / 2)
            AppearanceFactory(statement=statement)
            AppearanceFactory(statement=statement)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert timeline(client, speaker, show=show).status_code == 200
        return len(captured.captured_queries)

    add(2)
    small = queries()
    add(30)
    assert queries() == small
    # speaker, roles, month chart, hidden count, dated and undated statements, appearances (no co-speakers);
    # quotes only: the end of the walk's window too (a kind no index serves: quotes.keyset.Walk)
    assert small <= (8 if show == "quotes" else 7)


@pytest.mark.parametrize("words", ["build", "build -number", "harvest"])
def test_timeline_with_words_query_count_is_constant(client, speaker, words):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert timeline(client, speaker, q=words).status_code == 200
        return len(captured.captured_queries)

    def add(n):  # "We will build statement number N.", two reports each
        for _ in range(n):
            AppearanceFactory(statement=StatementFactory(speakers=[speaker, SpeakerFactory()]))

    add(2)
    queries()  # PostgreSQL's check that the words have a lexeme: once per text in a process
    small = queries()
    add(30)
    # On PostgreSQL "build" is rare in a record of 2 (its matches are read by id) and common at the
    # start of one of 32 (a page of it fills early: no walk, selectors.speaker_walk()); on SQLite
    # every page of words is a bounded walk, with one query for the end of its window.
    assert queries() == small
    add(30)  # more than a page of matches: the undated ones are not read
    assert queries() <= small
    # speaker, roles, month chart, dated and undated statements, appearances (no hidden count:
    # it is the whole record's, which a page narrowed by words does not give); on PostgreSQL
    # also the look-up that tells a word rare in the record (selectors._speaker_matches); on
    # SQLite the end of the walk's window
    assert small <= 7


@pytest.mark.parametrize("show", ["", "all", "quotes"])
def test_long_timelines_are_paginated_and_keep_the_choice(client, speaker, show):
    StatementFactory.create_batch(TIMELINE_PAGE_SIZE + 1, speakers=[speaker])
    kept = f"show={show}&amp;" if show else ""
    first = timeline(client, speaker, show=show)
    assert len(first.context["page"].rows) == TIMELINE_PAGE_SIZE
    assert f'rel="next" href="?{kept}cursor=' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    second = timeline(client, speaker, show=show, cursor=first.context["page"].next_cursor)
    assert len(second.context["page"].rows) == 1
    assert f'rel="prev" href="?{kept}cursor=' in second.content.decode()
    assert 'rel="next"' not in second.content.decode()
    back = timeline(client, speaker, show=show, cursor=second.context["page"].previous_cursor)
    assert back.context["page"].rows == first.context["page"].rows


def test_quotes_only_hides_reported_speech_and_keeps_the_choice_across_pages(client, speaker):
    say(speaker, "We will win the harvest.", D(2025, 2, 8), "day")
    say(speaker, "a harvest tax is fair", D(2025, 2, 8), "day", kind=Statement.Kind.PARTIAL)
    say(speaker, "The minister criticized the tax.", D(2025, 2, 8), "day", kind=Statement.Kind.INDIRECT)

    every = timeline(client, speaker).content.decode()
    assert "The minister criticized the tax." in every
    assert '<a href="?" aria-current="page">Statements</a>' in every

    quotes = timeline(client, speaker, show="quotes").content.decode()
    assert "We will win the harvest." in quotes and "a harvest tax is fair" in quotes
    assert "The minister criticized the tax." not in quotes
    assert '<a href="?show=quotes" aria-current="page">Quotes only</a>' in quotes


@pytest.fixture
def floor(settings):
    """The reader's confidence floor at its default, whatever the environment says."""
    settings.TIMELINE_MIN_CONFIDENCE = 0.5
    return settings


@pytest.fixture
def doubtful(speaker):
    """Four statements around the 0.5 floor; the first (unverified, 0.3) is below it."""
    return [
        say(speaker, "Ruritania wants a new harvest tax.", D(2025, 2, 8), "day",
            kind=Statement.Kind.INDIRECT, confidence=0.3),
        say(speaker, "Doe verified a tariff on grain.", D(2025, 2, 8), "day",
            kind=Statement.Kind.INDIRECT, confidence=0.3, review_status=Statement.Review.VERIFIED),
        say(speaker, "Doe criticized the harvest board.", D(2025, 2, 8), "day",
            kind=Statement.Kind.INDIRECT, confidence=0.8),
        say(speaker, "Doe said the floor is met.", D(2025, 2, 9), "day",
            kind=Statement.Kind.INDIRECT, confidence=0.5),
    ]


def statement_html(html: str, text: str) -> str:
    """The <article> of the statement whose text is ``text``."""
    start = html.index(text)
    return html[start:html.index("</article>", start)]


def test_timeline_hides_unverified_statements_below_the_floor_and_says_so(client, speaker, floor, doubtful):
    say(speaker, "Rejected though sure.", D(2025, 2, 8), "day", confidence=0.9,
        review_status=Statement.Review.REJECTED)
    response = timeline(client, speaker)
    html = response.content.decode()
    assert "Ruritania wants a new harvest tax." not in html
    assert "Doe verified a tariff on grain." in html
    assert "Doe criticized the harvest board." in html
    assert "Doe said the floor is met." in html
    assert "Rejected though sure." not in html
    assert response.context["total"] == 3
    assert '<p class="count">3 statements</p>' in html
    assert ('<p class="hidden-count">1 low-confidence machine-found statement hidden &ndash; '
            '<a href="?show=all">show all</a></p>') in html
    assert "badge--low-confidence" not in html


def test_show_all_shows_low_confidence_statements_marked(client, speaker, floor, doubtful):
    say(speaker, "Rejected though sure.", D(2025, 2, 8), "day", confidence=0.9,
        review_status=Statement.Review.REJECTED)
    html = timeline(client, speaker, show="all").content.decode()
    assert '<a href="?show=all" aria-current="page">' in html
    assert '<p class="count">4 statements</p>' in html
    assert "hidden-count" not in html
    assert "Rejected though sure." not in html
    low = statement_html(html, "Ruritania wants a new harvest tax.")
    assert ">low confidence</span>" in low and "unreviewed" in low
    assert "confidence is 0.30, below the 0.50 shown by default" in low
    for statement in doubtful[1:]:
        assert "low confidence" not in statement_html(html, statement.text)


def test_the_floor_is_a_setting(client, speaker, floor, doubtful):
    # What the README says to do after changing the floor: the stored flags follow it.
    floor.TIMELINE_MIN_CONFIDENCE = 0
    counters_refresh_all()
    html = timeline(client, speaker).content.decode()
    assert "Ruritania wants a new harvest tax." in html and "hidden-count" not in html
    floor.TIMELINE_MIN_CONFIDENCE = 0.9
    counters_refresh_all()
    html = timeline(client, speaker).content.decode()
    assert "Doe criticized the harvest board." not in html
    assert "Doe verified a tariff on grain." in html
    assert "3 low-confidence machine-found statements hidden" in html


def test_quotes_only_keeps_the_floor(client, speaker, floor):
    say(speaker, "We will win.", D(2025, 2, 8), "day", confidence=0.9)
    say(speaker, "We might lose.", D(2025, 2, 8), "day", confidence=0.2)
    say(speaker, "Doe doubted it.", D(2025, 2, 8), "day", kind=Statement.Kind.INDIRECT, confidence=0.2)
    html = timeline(client, speaker, show="quotes").content.decode()
    assert "We will win." in html
    assert "We might lose." not in html and "Doe doubted it." not in html
    assert "1 low-confidence machine-found statement hidden" in html


def test_a_page_narrowed_by_filters_gives_neither_the_records_total_nor_its_hidden_count(
    client, speaker, floor, doubtful,
):
    for asked in ({"q": "harvest"}, {"kind": "indirect"}, {"said_after": "2025-01-01"}):
        response = timeline(client, speaker, **asked)
        html = response.content.decode()
        assert response.context["total"] is None and "hidden-count" not in html
        assert '<a href="?show=all">All, with low confidence</a>' in html  # still one click away
    shown = timeline(client, speaker, q="harvest", show="all").content.decode()
    assert "Ruritania wants a new harvest tax." in shown


def test_a_timeline_of_only_hidden_statements_does_not_claim_there_are_none(client, speaker, floor):
    say(speaker, "Ruritania wants a new harvest tax.", D(2025, 2, 8), "day", confidence=0.3)
    html = timeline(client, speaker).content.decode()
    assert "have been recorded yet" not in html
    assert "1 low-confidence machine-found statement hidden" in html


def test_speaker_list_counts_what_the_timeline_shows(client, speaker, floor, doubtful):
    say(speaker, "Rejected though sure.", D(2025, 2, 8), "day", confidence=0.9,
        review_status=Statement.Review.REJECTED)
    html = client.get("/speakers/").content.decode()
    shown = timeline(client, speaker).context["total"]
    assert shown == 3
    assert f'<p class="count">{shown} statements</p>' in html


def test_an_unknown_show_value_is_the_default_view(client, speaker, floor, doubtful):
    response = timeline(client, speaker, show="<script>")
    html = response.content.decode()
    assert response.context["total"] == 3
    assert "&lt;script&gt;" not in html and "<script>" not in html


# --- Pages by cursor ------------------------------------------------------------------------------


def walk(client, url, params, rows_of):
    """Every page from the first by its Later/Next links: the rows in order, and the pages."""
    pages, cursor = [], None
    while True:
        response = client.get(url, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        pages.append(response.context["page"])
        cursor = pages[-1].next_cursor
        if cursor is None:
            return [row for page in pages for row in rows_of(page)], pages


@pytest.mark.parametrize("show", ["", "all"])
def test_timeline_pages_walk_every_statement_once_undated_last(client, speaker, floor, monkeypatch, show):
    monkeypatch.setattr("quotes.views.TIMELINE_PAGE_SIZE", 3)
    made = []
    for i in range(11):  # ties on one date, another date, and undated ones, some below the floor
        day = None if i % 4 == 0 else D(2025, 2, 8 + i % 2)
        precision = "day" if day else "unknown"
        made.append(say(speaker, f"Said {i}.", day, precision, confidence=0.3 + (i % 3) / 3))
    shown = [s for s in made if show == "all" or s.confidence >= 0.5]
    expected = sorted(shown, key=lambda s: (s.said_on is None, s.said_on or D.min, s.pk))
    url = reverse("quotes:speaker-timeline", args=[speaker.slug])
    # The page's rows are plain rows (selectors.timeline_rows()), each with the statement's id.
    rows, pages = walk(client, url, {"show": show} if show else {}, lambda page: page.rows)
    assert [row["id"] for row in rows] == [s.pk for s in expected]
    # and back again by the Earlier links
    back, cursor = [], pages[-1].previous_cursor
    while cursor:
        page = client.get(url, {"cursor": cursor, **({"show": show} if show else {})}).context["page"]
        back = page.rows + back
        cursor = page.previous_cursor
    assert [row["id"] for row in back + pages[-1].rows] == [s.pk for s in expected]


@pytest.mark.parametrize("cursor", ["nonsense", "eyJvIjoibmFtZSJ9", "e30", "%%%"])
def test_a_bad_cursor_is_a_400_not_a_500(client, speaker, cursor):
    assert timeline(client, speaker, cursor=cursor).status_code == 400
    assert client.get("/speakers/", {"cursor": cursor}).status_code == 400


def test_many_hidden_statements_are_counted_no_further_than_the_limit(client, speaker, floor, monkeypatch):
    monkeypatch.setattr("quotes.views.HIDDEN_COUNT_LIMIT", 2)
    for i in range(4):
        say(speaker, f"Unsure {i}.", D(2025, 2, 8), "day", confidence=0.1)
    response = timeline(client, speaker)
    assert "More than 2 low-confidence machine-found statements hidden" in response.content.decode()
    assert timeline(client, speaker, show="all").context["total"] is None


def test_speaker_list_pages_by_name(client, db, monkeypatch):
    monkeypatch.setattr("quotes.views.SPEAKER_PAGE_SIZE", 2)
    made = [SpeakerFactory(name=name) for name in ["Cy", "Al", "Bo", "Al", "Di"]]
    expected = sorted(made, key=lambda s: (s.name, s.pk))
    rows, pages = walk(client, "/speakers/", {}, lambda page: page.rows)
    assert [s.pk for s in rows] == [s.pk for s in expected]
    html = client.get("/speakers/").content.decode()
    assert 'rel="next" href="?cursor=' in html


def test_speaker_list_query_count_is_constant(client, db):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/speakers/").status_code == 200
        return len(captured.captured_queries)

    SpeakerFactory.create_batch(3)
    few = queries()
    SpeakerFactory.create_batch(30)
    assert queries() == few == 1


def test_timeline_shows_the_relay_and_the_date_evidence_of_each_report_escaped(client, speaker):
    quote = say(speaker, "The dam is safe.", D(2025, 2, 8), "day", said_on_method="context")
    AppearanceFactory(statement=quote, article=ArticleFactory(title="Wire copy"),
                      reported_via="the <Delft> Courier", date_evidence="that day")
    AppearanceFactory(statement=quote, article=ArticleFactory(title="Own report"))
    html = timeline(client, speaker).content.decode()
    assert re.findall(r'<span class="via">(.*?)</span>', html) == ["via the &lt;Delft&gt; Courier"]
    evidence = re.findall(r'<span class="date-evidence">(.*?)</span>', html)
    assert evidence == ["dated by &ldquo;that day&rdquo;"]
    assert '<span class="date-method">carried over from context</span>' in html


# A timeline entry as the page's template wrote it before the page wrote entries in Python (main at
# 9b8cd6c), fed model instances: the markup the Python writer must keep.
REFERENCE_ENTRY = Template((Path(__file__).parent / "data" / "timeline_entry_reference.html").read_text())


def _folded(markup: str) -> str:
    """Markup with whitespace between tags dropped and other runs of it folded: the template's
    blank lines for a false ``{% if %}`` are not a difference."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", markup)).strip()


def test_timeline_entries_are_the_markup_the_template_wrote_every_string_escaped(client, speaker, floor):
    from quotes import selectors
    from quotes.views import group_by_date

    RoleFactory(speaker=speaker, title="<b>Envoy</b> & \"friend\"", organization="O'Neil <Co>",
                start=D(2010, 1, 1), end=D(2010, 12, 31))
    outlet = OutletFactory(name="<i>Planet</i> & Co")
    marked = ArticleFactory(title='<script>x</script> "Vote"', url='https://p.example/a?b="c"&d=<e>',
                            outlet=outlet)
    plain = ArticleFactory(title="No link", url="javascript:alert(1)", outlet=None)
    made = [
        say(speaker, "We'll <win> & \"more\".", D(2025, 2, 8), "day", kind=Statement.Kind.DIRECT),
        say(speaker, "the <tax> will fall", D(2010, 6, 1), "month", kind=Statement.Kind.INDIRECT,
            review_status=Statement.Review.VERIFIED, date_conflict=True),
        say(speaker, "Unsure <words>.", D(2024, 1, 1), "year", kind=Statement.Kind.PARTIAL, confidence=0.125),
        say(speaker, "Undated.", None, "unknown", kind=Statement.Kind.INDIRECT),
    ]
    AppearanceFactory(statement=made[0], article=marked, context='"We\'ll <win>," she said.')
    AppearanceFactory(statement=made[0], article=plain, reported_via="the <Delft> Courier",
                      date_evidence="a <day>")
    AppearanceFactory(statement=made[1], article=marked, speaker_as_written="<em>Doe</em>",
                      cue="vowed & said", context="Doe vowed & said the <tax> will fall.")
    AppearanceFactory(statement=made[2], article=plain, context="")

    html = timeline(client, speaker, show="all").content.decode()
    assert "<script>x</script>" not in html and "<i>Planet</i>" not in html and "<em>Doe</em>" not in html
    assert "<b>Envoy</b>" not in html and "<win>" not in html and "<tax>" not in html
    assert "&lt;i&gt;Planet&lt;/i&gt; &amp; Co" in html
    assert "&lt;em&gt;Doe&lt;/em&gt; vowed &amp; said" in html
    assert "via the &lt;Delft&gt; Courier" in html and "dated by &ldquo;a &lt;day&gt;&rdquo;" in html
    assert 'href="https://p.example/a?b=&quot;c&quot;&amp;d=&lt;e&gt;"' in html
    assert "javascript:" not in html

    rows = list(selectors.timeline_rows(selectors.speaker_timeline(speaker=speaker, min_confidence=0.5)))
    instances = {s.pk: s for s in selectors.speaker_timeline(speaker=speaker, min_confidence=0.5)}
    sources = selectors.statement_sources(statement_ids=[row["id"] for row in rows])
    speaker = selectors.speaker_with_roles(slug=speaker.slug)
    groups = group_by_date(rows, speaker, sources, floor=0.5)
    assert sum(len(group.entries) for group in groups) == 4
    for group in groups:
        expected = "".join(
            REFERENCE_ENTRY.render(Context({
                "entry": entry, "group": group, "statement": instances[entry.statement["id"]],
                "min_confidence": 0.5,
            }))
            for entry in group.entries
        )
        assert _folded(group.html) == _folded(expected)
        assert _folded(group.html) in _folded(html)


def _follow(client, url, params, link_rel):
    """Every page from ``url`` by its ``link_rel`` links (next or prev): the pages' HTML, in order."""
    pages, link = [], f"{url}?{params}"
    while link:
        response = client.get(link)
        assert response.status_code == 200
        html = response.content.decode()
        pages.append(html)
        found = re.search(rf'<a rel="{link_rel}" href="([^"]+)"', html)
        link = f"{url}{found.group(1).replace('&amp;', '&')}" if found else None
    return pages


def _statement_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r"for statement (\d+)</span>", html)]


def test_a_timeline_narrowed_by_kind_walks_the_record_and_says_where_it_stopped(client, speaker, settings):
    settings.SPEAKER_WALK_LIMIT = 3
    for i in range(20):
        day = None if i in (5, 18) else D(2025, 1, 1 + i % 3)
        say(speaker, f"Statement {i}.", day, "day" if day else "unknown",
            kind=Statement.Kind.PARTIAL if i in (0, 9, 11, 18) else Statement.Kind.DIRECT)
        StatementFactory(kind=Statement.Kind.PARTIAL, speakers=[SpeakerFactory()])
    mine = Statement.objects.filter(speakers=speaker, kind=Statement.Kind.PARTIAL)
    expected = [s.pk for s in sorted(mine, key=lambda s: (s.said_on is None, s.said_on or D.min, s.pk))]
    url = reverse("quotes:speaker-timeline", args=[speaker.slug])

    later = _follow(client, url, "kind=partial", "next")
    assert [pk for html in later for pk in _statement_ids(html)] == expected
    stopped = [html for html in later if "No matches in these 3 statements; " in html]
    assert stopped and all("later ones &rarr;</a>" in html for html in stopped)
    assert not [html for html in later if "matches these filters" in html]  # never an end: the walk goes on
    assert "in these 3 statements" not in later[-1] and 'rel="next"' not in later[-1]

    back_from_last = re.search(r'<a rel="prev" href="\?([^"]+)"', later[-1]).group(1).replace("&amp;", "&")
    earlier = _follow(client, url, back_from_last, "prev")
    back = [pk for html in reversed([later[-1], *earlier]) for pk in _statement_ids(html)]
    assert back == expected
    assert any("&larr; earlier ones</a>" in html for html in earlier)


def test_a_timeline_with_no_match_in_its_record_ends_saying_so(client, speaker, settings):
    settings.SPEAKER_WALK_LIMIT = 4
    for i in range(9):
        say(speaker, f"Statement {i}.", D(2025, 1, 1 + i), "day")
    pages = _follow(client, reverse("quotes:speaker-timeline", args=[speaker.slug]), "kind=indirect", "next")
    assert len(pages) == 3
    assert all("No matches in these 4 statements" in html for html in pages[:-1])
    assert "No statement by Jane Doe matches these filters." in pages[-1]


@pytest.mark.parametrize("params", [{}, {"show": "all"}, {"said_after": "2025-01-02"}])
def test_a_timeline_narrowed_by_nothing_or_dates_is_not_walked(client, speaker, settings, monkeypatch,
                                                               params):
    settings.SPEAKER_WALK_LIMIT = 1
    monkeypatch.setattr("quotes.keyset._window_end", lambda *args: pytest.fail("walked"))
    for i in range(4):
        say(speaker, f"Statement {i}.", D(2025, 1, 1 + i), "day")
    html = timeline(client, speaker, **params).content.decode()
    assert len(_statement_ids(html)) == (3 if params.get("said_after") else 4)
    assert "walk-stopped" not in html


@pytest.mark.parametrize("params, walked", [
    ({"q": "harvest"}, False), ({"q": "harvest", "kind": "partial"}, True),
])
def test_a_word_common_at_the_start_of_the_record_is_not_walked_unless_more_narrows_it(
    client, speaker, settings, monkeypatch, params, walked,
):
    if connection.vendor != "postgresql":
        pytest.skip("which words are common in a record is asked of PostgreSQL's full-text index")
    settings.SPEAKER_WALK_LIMIT = 2
    ends = []
    end = keyset._window_end
    monkeypatch.setattr("quotes.keyset._window_end", lambda *args: ends.append(1) or end(*args))
    for i in range(12):
        say(speaker, f"The harvest {i} will be fine.", D(2025, 1, 1 + i), "day",
            kind=Statement.Kind.PARTIAL if i % 4 == 0 else Statement.Kind.DIRECT)
    html = timeline(client, speaker, **params).content.decode()
    assert len(_statement_ids(html)) == (1 if walked else 12)  # a walk of 2 links holds one partial quote
    assert bool(ends) == walked
    assert ("walk-stopped" in html) == walked
