"""quotes.fetching.page: real-world-shaped pages to an article's text and metadata (invented outlets)."""

import datetime
from pathlib import Path

import pytest

from quotes.fetching.page import html_decode, page_extract

PAGES = Path(__file__).parent / "pages"


def extract(name: str, charset: str | None = "utf-8", url: str | None = None):
    url = url or f"http://127.0.0.1:9/{name}"
    return page_extract(html_decode((PAGES / name).read_bytes(), charset), url=url)


def linking(canonical: str) -> str:
    """A story page whose rel=canonical is ``canonical``."""
    story = "<p>The Ostholm ferry will run twice a day from next month, the operator said on Monday.</p>"
    head = f'<head><link rel="canonical" href="{canonical}"></head>'
    return f"<html>{head}<body><article>{story}</article></body></html>"


def test_the_story_is_kept_and_navigation_banners_related_links_comments_and_scripts_are_not():
    page = extract("harbour.html", url="https://tidewater-ledger.example/harbour?from=rss")
    assert "councillor Odile Marchetti said during the debate" in page.text
    assert "could close the north quay." in page.text
    for clutter in ("cookie", "Sport", "Related stories", "Ferry timetable", "Typical council", "dataLayer",
                    "All rights reserved"):
        assert clutter not in page.text
    assert (page.title, page.author, page.outlet) == (
        "Harbour plan splits council", "Priya Vantongeren", "The Tidewater Ledger",
    )
    assert page.published == datetime.date(2024, 3, 14)
    # rel=canonical, its tracking parameters dropped
    assert page.canonical_url == "https://www.tidewater-ledger.example/news/harbour-plan"


def test_an_amp_page_gives_its_story_and_its_json_ld_metadata():
    page = extract("amp.html", url="https://amp.northgate-courier.example/rail-union")
    assert page.text.startswith("Rail union rejects pay offer")
    assert "the union's general secretary, Casimir Dunleavy, said in a statement." in page.text
    assert "cookies" not in page.text and "Bakery chain" not in page.text
    assert (page.author, page.outlet, page.published) == (
        "Marguerite Olawale", "Northgate Courier", datetime.date(2023, 11, 2),
    )
    assert page.canonical_url == "https://northgate-courier.example/business/rail-union-pay-offer"


@pytest.mark.parametrize("charset", ["iso-8859-1", None])  # declared by the server, or found in the page
def test_a_latin_1_page_is_decoded_and_its_og_url_is_the_canonical_one(charset):
    page = extract("latin1.html", charset, url="https://echo-des-collines.example/p/4512")
    assert "Le maire de Sainte-Véronne, Aurélien Bessonnet, a défendu" in page.text
    assert "« Nous n'augmenterons pas les impôts locaux" in page.text
    assert "Enfin un budget" not in page.text
    assert page.outlet == "L'Écho des Collines"
    assert page.canonical_url == "https://echo-des-collines.example/politique/budget-2022"


def test_of_several_dates_the_publication_date_is_taken():
    page = extract("dates.html")
    assert page.published == datetime.date(2021, 8, 30)  # not the update, the archive link, nor the footer's
    assert page.canonical_url is None  # none given: the caller uses the URL fetched


def test_a_section_front_has_no_article_text():
    page = extract("index.html")
    assert page.text == ""


@pytest.mark.parametrize(("fetched", "canonical"), [
    ("https://copycat-gazette.example/harbour", "https://www.tidewater-ledger.example/news/harbour-plan"),
    ("https://tidewater-ledger.example.copycat.example/a", "https://tidewater-ledger.example/news/harbour-plan"),
    ("https://someone.github.io/a", "https://another.github.io/story"),  # one shared host, two sites
    ("https://tidings.co.uk/a", "https://heralds.co.uk/story"),
    ("http://127.0.0.1:9/a", "http://127.0.0.2:9/story"),
])
def test_a_canonical_url_on_another_site_is_not_trusted(fetched, canonical):
    # A page may not take another outlet's story URL, and with it that story's identity.
    assert page_extract(linking(canonical), url=fetched).canonical_url is None
    assert extract("harbour.html", url="https://copycat-gazette.example/harbour").canonical_url is None


@pytest.mark.parametrize(("fetched", "canonical"), [
    ("https://amp.tidings.co.uk/a", "https://www.tidings.co.uk/story"),
    ("http://tidings.co.uk/a?id=4", "https://tidings.co.uk/story"),
    ("http://127.0.0.1:9/a", "http://127.0.0.1:9/story"),
])
def test_a_canonical_url_on_the_same_site_is_the_articles(fetched, canonical):
    assert page_extract(linking(canonical), url=fetched).canonical_url == canonical
