"""The reader's pages through their URLs: home, search, a statement, an article, the timeline's
chart and filters, and the Atom feeds; each escaped and within a fixed number of queries."""

import datetime
import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own feeds
from pathlib import Path

import pytest
from django.contrib.syndication.views import Feed
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quotes.feeds import SearchFeed, SpeakerFeed
from quotes.models import SpeakerMonth, Statement
from quotes.services.review import statements_merge
from quotes.templatetags import quotes_extras
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    OutletFactory,
    RoleFactory,
    SpeakerFactory,
    StaffFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
MARKUP = '<b id="injected">bold</b><script>window.pwned = 1</script>'
ATOM = "{http://www.w3.org/2005/Atom}"


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
        assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries)


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


@pytest.fixture
def jane():
    jane = SpeakerFactory(name="Jane Doe", slug="jane-doe")
    RoleFactory(speaker=jane, title="Opposition Leader", organization="Ruritania",
                start=D(2019, 1, 1), end=D(2024, 12, 31))
    RoleFactory(speaker=jane, title="Prime Minister", organization="Ruritania", start=D(2025, 1, 1))
    return jane


@pytest.fixture
def report():
    """A statement reported in an invented article, with the words at their offsets."""
    def make(text: str, said: str, speakers, *, title="Harvest day", kind=Statement.Kind.DIRECT,
             cue="said", who="she", url=None, article=None, **kwargs):
        article = article or ArticleFactory(
            title=title, url=url, outlet=OutletFactory(), text=f"{who} {cue} {said}. Then more text.",
        )
        start = article.text.index(said)
        statement = StatementFactory(text=text, kind=kind, speakers=speakers, **kwargs)
        AppearanceFactory(statement=statement, article=article, start=start, end=start + len(said),
                          speaker_as_written=who, cue=cue, context=article.text[:60])
        return statement
    return make


# Home ------------------------------------------------------------------------------------

def test_home_has_a_search_box_latest_statements_verified_first_and_recent_articles(client, jane, report):
    today = timezone.localdate()
    report("Old but verified.", "Old but verified", [jane], said_on=today - datetime.timedelta(days=30),
           review_status=Statement.Review.VERIFIED)
    report("New and unreviewed.", "New and unreviewed", [jane], said_on=today)
    report("Too unsure.", "Too unsure", [jane], said_on=today, confidence=0.1)
    ArticleFactory(title="Waiting article", extraction_status="pending")
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html
    assert html.index("Old but verified.") < html.index("New and unreviewed.")
    assert "Too unsure." not in html
    assert "Waiting article" in html and "waiting for extraction" in html
    assert "1 statement found" in html


def test_most_quoted_this_month_reads_the_month_table_not_the_statements(client, jane, report):
    roe = SpeakerFactory(name="John Roe", slug="john-roe")
    report("A.", "A", [jane], said_on=timezone.localdate())
    for word in ("B", "C"):
        report(f"{word}.", word, [roe], said_on=timezone.localdate())
    report("Last year.", "Last year", [jane], said_on=this_month().replace(year=this_month().year - 1))
    html = client.get("/").content.decode()
    ranked = re.search(r'<ol class="ranked">(.*?)</ol>', html, re.S).group(1)
    assert ranked.index("John Roe") < ranked.index("Jane Doe")
    assert "2 statements" in ranked and "1 statement<" in ranked
    SpeakerMonth.objects.filter(speaker=jane, month=this_month()).update(statement_count=50)
    ranked = re.search(r'<ol class="ranked">(.*?)</ol>', client.get("/").content.decode(), re.S).group(1)
    assert ranked.index("Jane Doe") < ranked.index("John Roe") and "50 statements" in ranked


def test_with_nobody_quoted_this_month_the_latest_month_anyone_was_is_shown(client, jane, report):
    report("Long ago.", "Long ago", [jane], said_on=D(2025, 2, 8))
    report("Longer ago.", "Longer ago", [SpeakerFactory(name="John Roe")], said_on=D(2024, 2, 8))
    html = client.get("/").content.decode()
    assert "Most quoted in February 2025" in html
    ranked = re.search(r'<ol class="ranked">(.*?)</ol>', html, re.S).group(1)
    assert "Jane Doe" in ranked and "John Roe" not in ranked


def test_home_query_count_is_constant(client, jane, report):
    report("First.", "First", [jane], said_on=timezone.localdate(), review_status=Statement.Review.VERIFIED)
    few = queries(client, "/")
    for i in range(6):
        report(f"More {i}.", f"More {i}", [jane, SpeakerFactory()], said_on=timezone.localdate())
    assert queries(client, "/") == few <= 5


# Search ----------------------------------------------------------------------------------

def test_search_filters_by_speaker_dates_and_kind_and_escapes(client, jane, report):
    roe = SpeakerFactory(name="John Roe", slug="john-roe")
    report("Harvest prices will rise.", "Harvest prices will rise", [jane], said_on=D(2025, 2, 8))
    report("Harvest taxes must fall.", "Harvest taxes must fall", [roe], said_on=D(2024, 5, 1),
           kind=Statement.Kind.INDIRECT)
    report(f"Harvest {MARKUP}", "Harvest", [jane], said_on=D(2023, 1, 1))

    def found(**params):
        html = client.get("/search/", params).content.decode()
        return [t for t in ("prices will rise", "taxes must fall", "bold") if t in html], html

    assert found(q="harvest")[0] == ["prices will rise", "taxes must fall", "bold"]
    assert found(q="harvest", speaker="jane-doe")[0] == ["prices will rise", "bold"]
    assert found(q="harvest", said_after="2024-01-01", said_before="2024-12-31")[0] == ["taxes must fall"]
    assert found(q="harvest", kind="indirect")[0] == ["taxes must fall"]
    html = found(q="harvest")[1]
    assert MARKUP not in html and "&lt;script&gt;" in html
    assert 'rel="alternate" type="application/atom+xml"' in html


@pytest.mark.parametrize("params", [
    {"said_after": "soon"}, {"kind": "shouted"}, {"q": " ".join(f"word{i}" for i in range(30))},
])
def test_search_with_a_bad_filter_is_a_400_page_saying_why(client, db, params):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_search_without_anything_asked_lists_nothing_and_explains(client, jane, report):
    report("Harvest prices will rise.", "Harvest prices will rise", [jane])
    html = client.get("/search/").content.decode()
    assert "prices will rise" not in html and "a phrase" in html


def test_search_pages_by_cursor_and_a_bad_cursor_is_a_400(client, jane, report, monkeypatch):
    monkeypatch.setattr("quotes.views.SEARCH_PAGE_SIZE", 2)
    for i in range(5):
        report(f"Harvest number {i}.", f"Harvest number {i}", [jane], said_on=D(2025, 1, 1 + i))
    first = client.get("/search/", {"q": "harvest"}).content.decode()
    cursor = re.search(r'rel="next" href="\?[^"]*cursor=([^"&]+)', first).group(1)
    second = client.get(f"/search/?q=harvest&cursor={cursor}").content.decode()
    assert second.count('class="card statement') == 2
    assert client.get("/search/?q=harvest&cursor=nonsense").status_code == 400


def test_search_query_count_is_constant(client, jane, report):
    report("Harvest one.", "Harvest one", [jane])
    few = queries(client, "/search/", q="harvest")
    for i in range(8):
        report(f"Harvest {i} more.", f"Harvest {i} more", [jane, SpeakerFactory()])
    assert queries(client, "/search/", q="harvest") == few <= 8


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL full-text search")
def test_postgres_search_ranks_uses_websearch_syntax_and_highlights_escaped(client, jane, report):
    report("Tariffs on grain, tariffs on steel, tariffs on everything.", "Tariffs on grain", [jane])
    report("We may look at tariffs one day.", "We may look", [jane])
    report(f"Steel {MARKUP} tariffs", "Steel", [jane])
    html = client.get("/search/", {"q": "tariffs -steel"}).content.decode()
    assert "We may look at" in html and "Steel" not in html.split('id="results-heading"')[1]
    assert "<mark>tariffs</mark>" in html.lower() or "<mark>Tariffs</mark>" in html
    html = client.get("/search/", {"q": '"tariffs on grain" or steel'}).content.decode()
    results = html.split('id="results-heading"')[1]
    assert "We may look" not in results
    assert "&lt;script&gt;" in results and "<script>window" not in results
    assert "<mark>Steel</mark>" in results


# Statement page --------------------------------------------------------------------------

def test_statement_page_shows_words_speaker_role_date_reports_review_and_citation(client, jane, report):
    quote = report("We will win the harvest.", "We will win the harvest", [jane], said_on=D(2025, 2, 8),
                   title="Harvest day", url="https://planet.example/harvest", who="Doe", cue="told")
    Statement.objects.filter(pk=quote.pk).update(review_status=Statement.Review.VERIFIED,
                                                  reviewed_by=StaffFactory(username="desk"))
    html = client.get(reverse("quotes:statement", args=[quote.pk])).content.decode()
    assert "We will win the harvest." in html
    assert "Prime Minister, Ruritania then" in html
    assert "8 February 2025" in html and "exact day" in html
    assert 'href="https://planet.example/harvest"' in html and "Harvest day" in html
    assert "Doe" in html and "told" in html
    assert "verified by desk" in html
    citation = re.search(r'<p class="citation" id="citation">(.*?)</p>', html, re.S).group(1)
    assert citation.startswith("Jane Doe, &quot;We will win the harvest.&quot; (8 February 2025).")
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "Quotation" and ld["text"] == "We will win the harvest."
    assert ld["creator"] == [{"@type": "Person", "name": "Jane Doe"}] and ld["dateCreated"] == "2025-02-08"
    assert ld["isPartOf"][0]["url"] == "https://planet.example/harvest"


def test_statement_page_shows_each_report_relay_and_how_its_date_was_found(client, jane, report):
    said = report("The bridge opens in May.", "The bridge opens in May", [jane], said_on=D(2025, 2, 4))
    said.appearances.update(reported_via=f"Harbour News {MARKUP}", said_on=D(2025, 2, 4),
                            said_on_precision=Statement.Precision.DAY,
                            said_on_method=Statement.DateMethod.CONTEXT, date_evidence="that day")
    html = client.get(reverse("quotes:statement", args=[said.pk])).content.decode()
    assert "Reported via" in html and "Harbour News &lt;b id=" in html and "<script>window" not in html
    assert "carried over from context" in html and "&ldquo;that day&rdquo;" in html
    said.appearances.update(reported_via="", said_on_method=Statement.DateMethod.UNKNOWN)
    html = client.get(reverse("quotes:statement", args=[said.pk])).content.decode()
    assert "Reported via" not in html and "unknown" not in html.split('id="reports-heading"')[1]


def test_reported_speech_reads_as_a_sentence(client, jane, report):
    said = report("taxes would fall next year", "taxes would fall next year", [jane],
                  kind=Statement.Kind.INDIRECT, who="The prime minister", cue="promised")
    html = client.get(reverse("quotes:statement", args=[said.pk])).content.decode()
    assert "The prime minister promised taxes would fall next year" in html


def test_statement_page_escapes_markup_everywhere_including_the_json_ld(client, db, report):
    someone = SpeakerFactory(name=f"Ann {MARKUP}", slug="ann")
    said = report(f"Quote {MARKUP}", "Quote", [someone], title=f"Title {MARKUP}",
                  url="javascript:alert(1)")
    html = client.get(reverse("quotes:statement", args=[said.pk])).content.decode()
    assert "<script>window" not in html and 'id="injected"' not in html
    assert "javascript:alert" not in html.split("</head>")[1]
    ld_text = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in ld_text and json.loads(ld_text)["text"] == f"Quote {MARKUP}"


def test_rejected_is_404_to_the_public_and_shown_to_staff(client, jane, report):
    said = report("Wrong.", "Wrong", [jane], review_status=Statement.Review.REJECTED)
    url = reverse("quotes:statement", args=[said.pk])
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_a_merged_statement_redirects_to_what_it_became(client, jane, report):
    target = report("We will win.", "We will win", [jane])
    other = report("We shall win.", "We shall win", [jane],
                   article=ArticleFactory(text="She said We shall win."))
    statements_merge(target=target, others=[other], user=StaffFactory())
    response = client.get(reverse("quotes:statement", args=[other.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("quotes:statement", args=[target.pk])
    assert client.get(reverse("quotes:statement", args=[other.pk + 100])).status_code == 404


def test_statement_page_query_count_is_constant(client, jane, report):
    said = report("Counted.", "Counted", [jane])
    url = reverse("quotes:statement", args=[said.pk])
    few = queries(client, url)
    for _i in range(5):
        AppearanceFactory(statement=said, article=ArticleFactory(outlet=OutletFactory()))
    said.speakers.add(SpeakerFactory())
    assert queries(client, url) == few <= 6


def test_an_article_whose_date_was_not_found_says_so_and_claims_no_publication_date(client, jane, report):
    submitted = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    undated = ArticleFactory(title="Quay works", published_at=submitted, published_known=False,
                             text="She said Quay works start. Then more text.")
    said = report("Quay works start.", "Quay works start", [jane], article=undated)
    page = client.get(reverse("quotes:article", args=[undated.pk])).content.decode()
    assert "publication date not found" in page and "(added <time" in page
    html = client.get(reverse("quotes:statement", args=[said.pk])).content.decode()
    assert "publication date not found" in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "datePublished" not in ld["isPartOf"][0]
    assert "2 March 2026." not in html  # nor in the citation
    home = client.get(reverse("quotes:home")).content.decode()
    assert "publication date not found" in home


def test_an_article_with_a_known_date_shows_it(client, jane, report):
    said = report("Harvest.", "Harvest", [jane])
    article = said.appearances.get().article
    page = client.get(reverse("quotes:article", args=[article.pk])).content.decode()
    assert "publication date not found" not in page
    moment = timezone.localtime(article.published_at).isoformat()
    assert f'<time datetime="{moment}">9 February 2025</time>' in page
    html = client.get(reverse("quotes:statement", args=[said.pk])).content.decode()
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["isPartOf"][0]["datePublished"] == article.published_at.isoformat()


# Article page ----------------------------------------------------------------------------

def article_with_statements(jane):
    text = f'Jane Doe said "we will win" on Sunday. {MARKUP} She added that taxes would fall.'
    article = ArticleFactory(title=f"Budget {MARKUP}", text=text)
    quote = StatementFactory(text="we will win", speakers=[jane])
    said = StatementFactory(text="taxes would fall", kind=Statement.Kind.INDIRECT, speakers=[jane])
    for statement in (quote, said):
        start = text.index(statement.text)
        AppearanceFactory(statement=statement, article=article, start=start, end=start + len(statement.text))
    return article, quote, said


def test_article_marks_each_statement_in_place_with_kind_speaker_and_link(client, jane):
    article, quote, said = article_with_statements(jane)
    html = client.get(reverse("quotes:article", args=[article.pk])).content.decode()
    assert re.search(r'<mark id="appearance-\d+" class="mark mark--direct">we will win</mark>', html)
    assert re.search(r'<mark id="appearance-\d+" class="mark mark--indirect">taxes would fall</mark>', html)
    assert f'href="/statements/{quote.pk}/">Jane Doe' in html
    assert "indirect speech" in html  # the kind in words, not colour alone
    assert 'id="injected"' not in html and "&lt;script&gt;" in html
    assert "Verify" not in html and "/admin/" not in html


def test_staff_verify_and_reject_from_the_article(client, jane):
    article, quote, said = article_with_statements(jane)
    page = reverse("quotes:article", args=[article.pk])
    review = reverse("quotes:statement-review", args=[quote.pk])
    assert client.post(review, {"decision": "verify"}).status_code == 302  # to the login page
    assert Statement.objects.get(pk=quote.pk).review_status == Statement.Review.EXTRACTED
    client.force_login(StaffFactory())
    html = client.get(page).content.decode()
    assert f'action="{review}"' in html and f"/admin/quotes/article/{article.pk}/change/" in html
    response = client.post(review, {"decision": "verify", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert Statement.objects.get(pk=quote.pk).review_status == Statement.Review.VERIFIED
    response = client.post(reverse("quotes:statement-review", args=[said.pk]),
                           {"decision": "reject", "next": "https://evil.example/"})
    assert response["Location"] == "/"  # never off the site
    assert Statement.objects.get(pk=said.pk).review_status == Statement.Review.REJECTED
    assert client.post(review, {"decision": "shrug"}).status_code == 400
    missing = reverse("quotes:statement-review", args=[999999])
    assert client.post(missing, {"decision": "verify"}).status_code == 404
    assert 'mark--rejected' in client.get(page).content.decode()  # staff still see it, struck through
    client.logout()
    assert "taxes would fall</mark>" not in client.get(page).content.decode()


def test_article_query_count_is_constant(client, jane):
    article, _, _ = article_with_statements(jane)
    url = reverse("quotes:article", args=[article.pk])
    few = queries(client, url)
    for i in range(6):
        AppearanceFactory(article=article, start=100 + i * 3, end=102 + i * 3,
                          statement=StatementFactory(speakers=[jane, SpeakerFactory()]))
    assert queries(client, url) == few <= 5


# Timeline chart, filters, feeds ------------------------------------------------------------

def test_timeline_chart_is_every_month_of_the_record_from_the_month_table(client, jane, report):
    report("Autumn.", "Autumn", [jane], said_on=D(2024, 11, 5))
    report("Winter one.", "Winter one", [jane], said_on=D(2025, 1, 2))
    report("Winter two.", "Winter two", [jane], said_on=D(2025, 1, 20))
    html = client.get(reverse("quotes:speaker-timeline", args=["jane-doe"])).content.decode()
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert re.findall(r"<title>(\w+ \d{4}): (\d+)</title>", svg) == [
        ("November 2024", "1"), ("December 2024", "0"), ("January 2025", "2"),
    ]
    assert "3 statements from November 2024 to January 2025; the most, 2, in January 2025." in html
    assert "<td>January 2025</td><td>2</td>" in html  # the text alternative
    SpeakerMonth.objects.filter(speaker=jane, month=D(2024, 11, 1)).update(statement_count=7)
    html = client.get(reverse("quotes:speaker-timeline", args=["jane-doe"])).content.decode()
    assert "<title>November 2024: 7</title>" in html


def test_a_chart_is_drawn_once_for_the_same_counts_in_the_same_language():
    from django.utils import translation

    from quotes.views import month_chart

    counts = [(D(2023, 11, 1), 2), (D(2024, 1, 1), 5)]
    first = month_chart(counts)
    assert month_chart(list(counts)) is first  # the same counts again: the chart kept, not drawn
    with translation.override("fr"):
        french = month_chart(counts)
    assert french is not first and "<td>janvier 2024</td><td>5</td>" in french.table_rows
    assert "<td>January 2024</td><td>5</td>" in first.table_rows
    assert month_chart([(D(2023, 11, 1), 3), (D(2024, 1, 1), 5)]).table_rows.startswith(
        "<tr><td>November 2023</td><td>3</td>")


def test_timeline_filters_by_dates_kind_and_words_and_links_each_statement(client, jane, report):
    report("Grain prices will rise.", "Grain prices will rise", [jane], said_on=D(2024, 3, 1))
    said = report("taxes will fall", "taxes will fall", [jane], said_on=D(2025, 3, 1),
                  kind=Statement.Kind.INDIRECT, who="Doe", cue="promised")
    url = reverse("quotes:speaker-timeline", args=["jane-doe"])
    html = client.get(url, {"kind": "indirect"}).content.decode()
    assert "Doe promised taxes will fall" in html and "Grain prices" not in html
    assert f'href="/statements/{said.pk}/"' in html
    html = client.get(url, {"said_before": "2024-12-31"}).content.decode()
    assert "Grain prices" in html and "taxes will fall" not in html
    html = client.get(url, {"q": "grain"}).content.decode()
    assert "Grain prices" in html and "taxes will fall" not in html
    assert client.get(url, {"said_after": "later"}).status_code == 400
    html = client.get(url, {"kind": "indirect"}).content.decode()
    assert "/api/statements/?speaker=jane-doe&amp;kind=indirect&amp;format=csv" in html
    assert 'rel="alternate" type="application/atom+xml"' in html and 'href="/speakers/jane-doe/feed/"' in html


def test_timeline_download_links_say_what_they_hold(client, jane, report):
    report("Grain prices will rise.", "Grain prices will rise", [jane], said_on=D(2024, 3, 1))
    url = reverse("quotes:speaker-timeline", args=["jane-doe"])
    assert "Download all:" in client.get(url).content.decode()
    assert "Download these dates and kinds:" in client.get(url, {"kind": "direct"}).content.decode()
    html = client.get(url, {"q": "grain"}).content.decode()  # the export does not search words
    assert "Download all (downloads leave the words out):" in html
    assert "format=csv" in html and "q=grain&amp;format" not in html


def test_speaker_feed_is_atom_newest_first_with_links_to_statement_pages(client, jane, report):
    old = report("Old words.", "Old words", [jane], said_on=D(2024, 1, 1))
    new = report(f"New {MARKUP}", "New", [jane], said_on=D(2025, 1, 1))
    report("Unsure words.", "Unsure words", [jane], said_on=D(2025, 2, 1), confidence=0.1)
    response = client.get(reverse("quotes:speaker-feed", args=["jane-doe"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(  # noqa: S314 - our own feed
        response.content)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    assert links == [f"http://testserver/statements/{new.pk}/", f"http://testserver/statements/{old.pk}/"]
    assert client.get(reverse("quotes:speaker-feed", args=["nobody"])).status_code == 404


def test_search_feed_follows_the_search_and_refuses_bad_filters(client, jane, report):
    report("Harvest prices.", "Harvest prices", [jane], said_on=D(2024, 1, 1))
    report("Steel prices.", "Steel prices", [jane], said_on=D(2024, 2, 1))
    feed = ET.fromstring(  # noqa: S314 - our own feed
        client.get("/search/feed/", {"q": "harvest"}).content)
    titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Jane Doe: Harvest prices."]
    assert feed.find(f"{ATOM}link").get("href") == "http://testserver/search/?q=harvest"
    assert client.get("/search/feed/", {"said_after": "never"}).status_code == 400



@pytest.mark.parametrize("url", [
    "/speakers/jane-doe/feed/", "/search/feed/?q=harvest", "/search/feed/?kind=direct",
])
def test_feeds_cost_the_same_queries_at_few_and_many_entries_and_say_everything(client, jane, report, url):
    report("Harvest one.", "Harvest one", [jane], said_on=D(2024, 1, 1))
    few = queries(client, url)
    for i in range(8):
        report(f"Harvest {i} more.", f"Harvest {i} more", [jane, SpeakerFactory(name=f"Other {i}")],
               said_on=D(2024, 2, 1 + i))
    assert queries(client, url) == few <= 4
    feed = ET.fromstring(client.get(url).content)  # noqa: S314 - our own feed
    entries = list(feed.iter(f"{ATOM}entry"))
    assert len(entries) == 9
    newest = entries[0]
    assert newest.find(f"{ATOM}title").text == "Jane Doe, Other 7: Harvest 7 more."
    assert newest.find(f"{ATOM}summary").text == "Harvest 7 more. (direct quote, 8 February 2024)"
    assert newest.find(f"{ATOM}updated").text and newest.find(f"{ATOM}published").text


def test_a_speakers_search_feed_narrowed_by_kind_reads_their_newest_links_only(client, jane, report,
                                                                                settings):
    settings.SPEAKER_WALK_LIMIT = 3
    for i in range(6):
        report(f"Harvest {i} words.", f"Harvest {i} words", [jane], said_on=D(2024, 1, 1 + i),
               kind=Statement.Kind.PARTIAL if i in (0, 4) else Statement.Kind.DIRECT)

    def titles(params):
        feed = ET.fromstring(client.get("/search/feed/", params).content)  # noqa: S314 - our own feed
        return [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]

    # The newest 3 of Jane's 6 links hold one partial quote (4); 0 is older than the window.
    assert titles({"speaker": "jane-doe", "kind": "partial"}) == ["Jane Doe: Harvest 4 words."]
    assert titles({"speaker": "jane-doe", "kind": "direct"}) == ["Jane Doe: Harvest 5 words.",
                                                                 "Jane Doe: Harvest 3 words."]
    assert len(titles({"speaker": "jane-doe"})) == 6  # narrowed by nothing else: not bounded
    settings.SPEAKER_WALK_LIMIT = 100  # a record shorter than the window is read whole
    assert titles({"speaker": "jane-doe", "kind": "partial"}) == ["Jane Doe: Harvest 4 words.",
                                                                  "Jane Doe: Harvest 0 words."]


class _FrameworkFeed:
    """The syndication framework's own loop (Feed.get_feed), with the per-entry methods the feeds
    had before they wrote entries themselves (main at 11f5e1c), on the same rows."""

    get_feed = Feed.get_feed

    def item_title(self, item):
        return f"{', '.join(item['speakers']) or 'Unknown speaker'}: {item['text'][:120]}"

    def item_description(self, item):
        when = quotes_extras.said_on(item["said_on"], item["said_on_precision"])
        return f"{item['text']} ({Statement.Kind(item['kind']).label}, {when})"

    def item_link(self, item):
        return reverse("quotes:statement", args=[item["id"]])


@pytest.mark.parametrize(("feed", "url"), [
    (SpeakerFeed, "/speakers/jane-doe/feed/"), (SearchFeed, "/search/feed/?q=prices"),
])
def test_feeds_write_the_entries_the_syndication_framework_writes(rf, jane, report, feed, url):
    report(f"Grain prices {MARKUP}.", "Grain prices", [jane, SpeakerFactory(name="Ann <Ames>")],
           said_on=D(2024, 1, 1))
    report(f"Steel prices & more{', and more' * 12}.", "Steel prices", [jane], said_on=D(2024, 2, 5),
           said_on_precision="week")  # a title cut at 120 characters
    report("Oil prices.", "Oil prices", [jane], said_on=D(2024, 3, 1), said_on_precision="month",
           kind=Statement.Kind.INDIRECT)
    reference = type("Reference", (_FrameworkFeed, feed), {})
    kwargs = {"slug": "jane-doe"} if feed is SpeakerFeed else {}
    ours, theirs = feed()(rf.get(url), **kwargs), reference()(rf.get(url), **kwargs)
    assert ours.content.count(b"<entry>") == 3
    assert ours.content == theirs.content
    assert ours["Last-Modified"] == theirs["Last-Modified"]


# The card as the include main had before cards were written in Python (main at 9b8cd6c).
REFERENCE_CARD = Template((Path(__file__).parent / "data" / "statement_card_reference.html").read_text())


def _folded(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", markup)).strip()


def test_statement_cards_are_the_markup_the_include_wrote_every_string_escaped(db):
    from quotes import selectors
    from quotes.views import statement_cards_html

    odd = SpeakerFactory(name='<i>Odd</i> "O\'Neil" & co', slug="odd-o-neil")
    plain = SpeakerFactory(name="Zed Plain", slug="zed-plain")
    made = [
        StatementFactory(text=MARKUP, kind=Statement.Kind.DIRECT, said_on=D(2025, 2, 8),
                         said_on_precision="day", speakers=[odd, plain]),
        StatementFactory(text="taxes will <fall>", kind=Statement.Kind.INDIRECT, said_on=D(2025, 2, 3),
                         said_on_precision="week", review_status=Statement.Review.VERIFIED, speakers=[odd]),
        StatementFactory(text="Some 'words' & more.", kind=Statement.Kind.PARTIAL, said_on=None,
                         said_on_precision="unknown", speakers=[]),
        StatementFactory(text="A year.", said_on=D(2024, 1, 1), said_on_precision="year",
                         review_status=Statement.Review.REJECTED, speakers=[plain]),
    ]
    statements = list(selectors.statement_cards().filter(pk__in=[s.pk for s in made[:3]]))
    rejected = selectors.statement_list(include_rejected=True).get(pk=made[3].pk)
    statements.append(rejected)
    texts = [f"<mark>{i}</mark> &amp;" for i in range(len(statements))]
    for given in (None, texts):
        cards = statement_cards_html(statements, given)
        expected = "".join(
            REFERENCE_CARD.render(Context({"statement": s, "text": s.text if given is None else given[i]}))
            for i, s in enumerate(statements)
        )
        assert _folded(cards) == _folded(expected)
    cards = statement_cards_html(statements)
    assert "<script>" not in cards and "<i>Odd</i>" not in cards and "&lt;i&gt;Odd&lt;/i&gt;" in cards


def test_search_for_one_speaker_narrowed_by_kind_walks_their_record_newest_first(client, jane, settings):
    settings.SPEAKER_WALK_LIMIT = 2
    for i in range(12):
        StatementFactory(speakers=[jane], said_on=D(2025, 1, 1 + i),
                         kind=Statement.Kind.PARTIAL if i in (1, 2, 9) else Statement.Kind.DIRECT)
        StatementFactory(speakers=[SpeakerFactory()], kind=Statement.Kind.PARTIAL)
    expected = list(Statement.objects.filter(speakers=jane, kind=Statement.Kind.PARTIAL)
                    .order_by("-said_on").values_list("pk", flat=True))
    found, link, pages = [], f"/search/?speaker={jane.slug}&kind=partial", 0
    while link:
        html = client.get(link).content.decode()
        found += [int(pk) for pk in re.findall(r"for statement (\d+)</span>", html)]
        pages += 1
        if pages < 6:  # the walk stopped on each page before the last
            assert "in these 2 statements; " in html and "older ones &rarr;</a>" in html
            assert "No statement matches." not in html
        more = re.search(r'rel="next" href="([^"]+)"', html)
        link = f"/search/{more.group(1).replace('&amp;', '&')}" if more else None
    assert found == expected
    assert pages == 6
