"""scripts/bench_ingest.py's measuring parts: the pages it serves and the agreement it reports.

The benchmark itself needs PostgreSQL, Redis and workers; its figures are in BENCHMARKS.md.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench_ingest  # noqa: E402 - scripts/ is no package
from bench_scale import Sample  # noqa: E402

from quotes.fetching.page import page_extract  # noqa: E402

TEXT = (
    "Ferry fares rise again.\n\n"
    "The island council approved a second rise in ferry fares on Monday, the third this decade.\n\n"
    '"We have no other way to keep the boats running," the council leader, Ines Varga, said.\n\n'
    "Residents of Holm Island said the rise would hit commuters hardest! Was it needed? The council said yes."
)


def test_the_agreement_is_the_share_of_original_sentences_found_whitespace_folded():
    original = {"a": "One two three four. Five six seven eight! Nine ten eleven?"}
    assert bench_ingest.agreement(original, {"a": "One two  three\nfour. Nine ten eleven?"}) == (2 / 3, 2, 3)
    assert bench_ingest.agreement(original, {}) == (0.0, 0, 3)
    assert bench_ingest.agreement(original, {"a": original["a"]})[0] == 1.0


def test_a_served_page_wraps_the_text_in_clutter_that_extraction_leaves_out():
    sample = Sample("ferry", Path("ferry.txt"), "Ferry fares rise again", "2019-04-01", "Holm Island Post",
                    "Ana Ruiz")
    html = bench_ingest.page_html(sample, TEXT, "http://127.0.0.1:9").decode()
    assert "cookies" in html and "Markets close higher" in html and "Great reporting" in html
    page = page_extract(html, url="http://127.0.0.1:9/dev/ferry.html")
    assert bench_ingest.agreement({"ferry": TEXT}, {"ferry": page.text})[0] == 1.0
    assert "cookies" not in page.text and "Great reporting" not in page.text
    assert (page.outlet, page.author, str(page.published)) == ("Holm Island Post", "Ana Ruiz", "2019-04-01")


def test_the_feed_lists_every_page():
    samples = [Sample(n, Path(f"{n}.txt"), f"Title {n}", None, "Post", "") for n in ("a", "b")]
    feed = bench_ingest.feed_xml(samples, "http://127.0.0.1:9").decode()
    assert feed.count("<item>") == 2 and "http://127.0.0.1:9/dev/b.html" in feed
