"""The public pages through their URLs: the speakers list and a speaker's timeline."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotes.models import Statement
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


def test_unknown_slug_is_404(client, db):
    assert client.get("/speakers/nobody-here/").status_code == 404


def test_timeline_query_count_is_constant(client, speaker):
    def add(n):
        for _ in range(n):
            statement = StatementFactory(speakers=[speaker, SpeakerFactory()])
            AppearanceFactory(statement=statement)
            AppearanceFactory(statement=statement)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert timeline(client, speaker).status_code == 200
        return len(captured.captured_queries)

    add(2)
    small = queries()
    add(30)
    assert queries() == small
    assert small <= 8


def test_long_timelines_are_paginated(client, speaker):
    StatementFactory.create_batch(TIMELINE_PAGE_SIZE + 1, speakers=[speaker])
    first = timeline(client, speaker)
    assert len(first.context["page"].object_list) == TIMELINE_PAGE_SIZE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = timeline(client, speaker, page=2)
    assert len(second.context["page"].object_list) == 1


def test_quotes_only_hides_reported_speech_and_keeps_the_choice_across_pages(client, speaker):
    say(speaker, "We will win the harvest.", D(2025, 2, 8), "day")
    say(speaker, "a harvest tax is fair", D(2025, 2, 8), "day", kind=Statement.Kind.PARTIAL)
    say(speaker, "The minister criticized the tax.", D(2025, 2, 8), "day", kind=Statement.Kind.INDIRECT)

    every = timeline(client, speaker).content.decode()
    assert "The minister criticized the tax." in every
    assert '<a href="?" aria-current="page">All statements</a>' in every

    quotes = timeline(client, speaker, show="quotes").content.decode()
    assert "We will win the harvest." in quotes and "a harvest tax is fair" in quotes
    assert "The minister criticized the tax." not in quotes
    assert '<a href="?show=quotes" aria-current="page">Quotes only</a>' in quotes

    StatementFactory.create_batch(TIMELINE_PAGE_SIZE, speakers=[speaker])
    paged = timeline(client, speaker, show="quotes").content.decode()
    assert 'rel="next" href="?show=quotes&amp;page=2"' in paged
