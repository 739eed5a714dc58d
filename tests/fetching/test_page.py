"""quotes.fetching.page: real-world-shaped pages to an article's text and metadata (invented outlets)."""

import datetime
from pathlib import Path

import pytest

from quotes.fetching.page import html_decode, page_extract

PAGES = Path(__file__).parent / "pages"


def extract(name: str, charset: str | None = "utf-8"):
    return page_extract(html_decode((PAGES / name).read_bytes(), charset), url=f"http://127.0.0.1:9/{name}")


def test_the_story_is_kept_and_navigation_banners_related_links_comments_and_scripts_are_not():
    page = extract("harbour.html")
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
    page = extract("amp.html")
    assert page.text.startswith("Rail union rejects pay offer")
    assert "the union's general secretary, Casimir Dunleavy, said in a statement." in page.text
    assert "cookies" not in page.text and "Bakery chain" not in page.text
    assert (page.author, page.outlet, page.published) == (
        "Marguerite Olawale", "Northgate Courier", datetime.date(2023, 11, 2),
    )
    assert page.canonical_url == "https://northgate-courier.example/business/rail-union-pay-offer"


@pytest.mark.parametrize("charset", ["iso-8859-1", None])  # declared by the server, or found in the page
def test_a_latin_1_page_is_decoded_and_its_og_url_is_the_canonical_one(charset):
    page = extract("latin1.html", charset)
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
