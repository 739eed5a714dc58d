"""The reader's pages in Chromium at desktop and phone (390 px) widths: they render, escape every
stored string, never scroll sideways, and axe-core finds no serious or critical violation.

axe-core comes inside axe-playwright-python (its axe.min.js, injected into the page): nothing
is loaded from the web.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from quotes.models import Statement
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    OutletFactory,
    RoleFactory,
    SpeakerFactory,
    StaffFactory,
    StatementFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
MARKUP = '<b id="injected">bold</b><script>window.pwned = 1</script>'
LONG_URL = "https://planet.example/" + "a-very-long-unbroken-path-segment-" * 6
WIDTHS = {"desktop": 1280, "phone": 390}
BLOCKING = {"serious", "critical"}


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, browser):
    width = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.width = width
    yield page
    context.close()


@pytest.fixture
def world():
    """An invented speaker, outlet and article with markup in every stored string."""
    jane = SpeakerFactory(name=f"Jane {MARKUP} Doe", slug="jane-doe")
    RoleFactory(speaker=jane, title="Prime Minister", organization="Ruritania", start=D(2020, 1, 1))
    text = (f'Jane Doe said "we will win the harvest" on Saturday. {MARKUP} '
            "She added that grain taxes would fall before the spring sowing season begins.")
    article = ArticleFactory(title=f"Harvest {MARKUP}", url=LONG_URL, text=text,
                             outlet=OutletFactory(name=f"Planet {MARKUP}"))
    quote = StatementFactory(text="we will win the harvest", speakers=[jane], said_on=D(2025, 2, 8),
                             review_status=Statement.Review.VERIFIED)
    said = StatementFactory(text="grain taxes would fall before the spring sowing season begins",
                            kind=Statement.Kind.INDIRECT, speakers=[jane], said_on=D(2025, 2, 8))
    marked = StatementFactory(text=f"Harvest {MARKUP}", speakers=[jane], said_on=D(2024, 11, 3))
    for statement, at in ((quote, text.index("we will")), (said, text.index("grain")), (marked, 0)):
        AppearanceFactory(statement=statement, article=article, start=at, end=at + len(statement.text),
                          speaker_as_written="She", cue="added", context=text[:80])
    return {"jane": jane, "article": article, "quote": quote, "said": said}


def pages(world) -> dict[str, str]:
    return {
        "home": reverse("quotes:home"),
        "search": reverse("quotes:search") + "?q=harvest",
        "statement": reverse("quotes:statement", args=[world["quote"].pk]),
        "reported speech": reverse("quotes:statement", args=[world["said"].pk]),
        "article": reverse("quotes:article", args=[world["article"].pk]),
        "timeline": reverse("quotes:speaker-timeline", args=["jane-doe"]),
    }


def check(page, url: str, artifacts_dir, name: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    # Stored markup is text, never elements or scripts.
    assert page.locator("#injected").count() == 0
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("h1").count() == 1
    # No sideways scrolling, whatever the width.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width, name
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{name}: " + results.generate_report()
    page.screenshot(path=str(artifacts_dir / f"{name.replace(' ', '-')}-{page.width}.png"), full_page=True)


def test_every_reader_page_renders_escaped_accessible_and_fits(live_server, sized_page, world, artifacts_dir):
    for name, path in pages(world).items():
        check(sized_page, live_server.url + path, artifacts_dir, name)


def test_the_article_view_marks_statements_and_staff_review_from_it(live_server, browser, world):
    staff = StaffFactory(username="desk")
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("quotes:article", args=[world["article"].pk]))
    said = page.locator("mark.mark--indirect")
    assert said.inner_text() == "grain taxes would fall before the spring sowing season begins"
    page.get_by_role("button", name=f"Verify statement {world['said'].pk}").click()
    page.wait_for_load_state()
    assert Statement.objects.get(pk=world["said"].pk).review_status == Statement.Review.VERIFIED
    assert Statement.objects.get(pk=world["said"].pk).reviewed_by == staff
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_search_box_and_filters_work_from_the_keyboard(live_server, browser, world):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Search statements").focus()
    page.keyboard.type("harvest")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=harvest")
    assert page.get_by_text("we will win the harvest").is_visible()
    page.get_by_label("Kind").select_option("indirect")
    page.get_by_role("button", name="Search").press("Enter")
    page.wait_for_url("**kind=indirect**")
    assert page.get_by_text("we will win the harvest").count() == 0
    context.close()


def test_the_accessibility_check_does_catch_a_violation(browser):
    """The instrument itself: axe flags an unlabelled field and an image without alt text."""
    page = browser.new_page()
    page.set_content('<html lang="en"><body><main><input id="x"><img src="data:,"></main></body></html>')
    found = {v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING}
    assert {"label", "image-alt"} <= found
    page.close()
