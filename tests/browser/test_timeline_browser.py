"""A speaker's timeline in a real browser at phone width: readable, escaped, no sideways scroll."""

import datetime

import pytest
from django.urls import reverse

from quotes.models import Statement
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    OutletFactory,
    RoleFactory,
    SpeakerFactory,
    StatementFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
MARKUP_QUOTE = 'Read my <b id="injected">lips</b> <script>window.pwned = true</script> please.'
LONG_URL = "https://planet.example/" + "very-long-path-segment-" * 8


@pytest.fixture
def speaker():
    speaker = SpeakerFactory(name="Jane Doe", slug="jane-doe", description="Prime Minister of Ruritania")
    RoleFactory(speaker=speaker, title="Prime Minister", organization="Ruritania", start=D(2025, 1, 1))
    RoleFactory(speaker=speaker, title="Leader of the Opposition", organization="Ruritania",
                start=D(2019, 1, 1), end=D(2024, 12, 31))
    planet = OutletFactory(name="Daily Planet")
    harvest = ArticleFactory(title="Jane Doe promises a record harvest", url=LONG_URL, outlet=planet)
    wire = ArticleFactory(title="Wire: harvest pledge repeated", url="https://wire.example/pledge")

    def say(text, said_on, precision, *articles, **kwargs):
        statement = StatementFactory(text=text, said_on=said_on, said_on_precision=precision,
                                     speakers=[speaker], **kwargs)
        for article in articles:
            AppearanceFactory(statement=statement, article=article)
        return statement

    say("The government must resign before the harvest fails.", D(2024, 6, 1), "month", wire,
        kind=Statement.Kind.INDIRECT, review_status=Statement.Review.VERIFIED)
    say("We will win the harvest, and we will win it together.", D(2025, 2, 8), "day", harvest, wire)
    say(MARKUP_QUOTE, D(2025, 2, 8), "day", harvest)
    say("Farmers deserve better prices", D(2025, 2, 3), "week", wire, kind=Statement.Kind.PARTIAL)
    say("Nobody could say when this was said.", None, "unknown", wire)
    say("Doe wants a tariff on imported grain.", D(2025, 2, 8), "day", wire,
        kind=Statement.Kind.INDIRECT, confidence=0.3)
    return speaker


def test_timeline_on_a_phone(live_server, phone_page, speaker, artifacts_dir):
    page = phone_page
    response = page.goto(live_server.url + reverse("quotes:speaker-timeline", args=[speaker.slug]))
    assert response.status == 200

    headings = page.locator("h2.date-heading")
    assert headings.all_inner_texts() == [
        "June 2024", "week of 3 February 2025", "8 February 2025", "Date unknown",
    ]
    for heading in headings.all():
        assert heading.is_visible()
    quote = page.get_by_text("We will win the harvest, and we will win it together.")
    assert quote.is_visible()

    # Markup in a quote is shown as text, never parsed into elements.
    assert page.get_by_text(MARKUP_QUOTE).is_visible()
    assert page.locator("#injected").count() == 0
    assert page.locator("main b, main script, body script").count() == 0
    assert page.evaluate("window.pwned === undefined")

    # No sideways scrolling at 375px, even with a long article URL on the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    link = page.get_by_role("link", name="Jane Doe promises a record harvest").first
    assert link.get_attribute("href") == LONG_URL
    assert page.get_by_text("unreviewed").first.is_visible()

    page.screenshot(path=str(artifacts_dir / "timeline.png"), full_page=True)
    page.screenshot(path=str(artifacts_dir / "timeline-first-screen.png"))


def test_low_confidence_statements_are_one_click_away(live_server, phone_page, speaker, settings):
    settings.TIMELINE_MIN_CONFIDENCE = 0.5
    page = phone_page
    page.goto(live_server.url + reverse("quotes:speaker-timeline", args=[speaker.slug]))
    assert page.get_by_text("Doe wants a tariff on imported grain.").count() == 0
    notice = page.locator("p.hidden-count")
    assert notice.inner_text() == "1 low-confidence machine-found statement hidden \u2013 show all"

    notice.get_by_role("link", name="show all").click()
    page.wait_for_url("**?show=all")
    low = page.locator("article.statement", has_text="Doe wants a tariff on imported grain.")
    assert low.is_visible()
    assert low.locator(".badge--low-confidence").inner_text() == "low confidence"
    assert page.locator(".badge--low-confidence").count() == 1
    assert page.locator("p.hidden-count").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
