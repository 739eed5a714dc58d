"""quotes.fetching.urls: which site a URL is on (whose canonical URL a page may claim)."""

from unittest import mock

import pytest

from quotes.fetching import urls
from quotes.fetching.urls import same_site, url_site


@pytest.mark.parametrize(("url", "site"), [
    ("https://www.tidewater-ledger.example/news/1", "tidewater-ledger.example"),  # unknown suffix: one label
    ("https://amp.tidings.co.uk/a", "tidings.co.uk"),  # a two-label public suffix
    ("https://M.Tidings.CO.UK./a", "tidings.co.uk"),
    ("https://someone.github.io/post", "someone.github.io"),  # a shared host's suffix (private section)
    ("http://127.0.0.1:8080/a", "127.0.0.1"),  # an address is its own site
    ("http://[::1]/a", "::1"),
    ("http://intranet/a", "intranet"),
    ("not a url", ""),
])
def test_a_urls_site_is_its_registrable_domain(url, site):
    assert url_site(url) == site


@pytest.mark.parametrize(("url", "other", "same"), [
    ("https://tidings.co.uk/a", "https://www.tidings.co.uk/a", True),
    ("http://amp.tidings.co.uk/a", "https://www.tidings.co.uk/b", True),
    ("https://tidings.co.uk/a", "https://heralds.co.uk/a", False),  # both under co.uk, two outlets
    ("https://someone.github.io/a", "https://another.github.io/a", False),
    ("https://tidings.co.uk/a", "https://tidings.co.uk.copycat.example/a", False),
    ("http://127.0.0.1:8080/a", "http://127.0.0.2:8080/a", False),
    ("http://127.0.0.1:8080/a", "http://127.0.0.1/b", True),
    ("https:///a", "https:///b", False),  # no host is no site
])
def test_two_urls_are_on_one_site_when_their_registrable_domains_are(url, other, same):
    assert same_site(url, other) is same


def test_the_suffix_list_is_never_downloaded():
    # tld fetches the list when its copy cannot be read: ours refuses, and falls back to the default rule.
    with mock.patch("tld.base.urlopen") as download, mock.patch("tld.utils.tld_names", {}), \
         mock.patch.object(urls._BundledSuffixes, "local_path", "res/missing.dat.txt"):
        assert url_site("https://amp.tidings.co.uk/a") == "co.uk"
    download.assert_not_called()
