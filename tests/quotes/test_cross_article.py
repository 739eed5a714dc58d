"""Several articles re-reporting the same statements, through the real engine (issue 4).

Articles of our own: other outlets, other quote marks, other role phrases and
other relative dates. The result must be one record per person and per
statement, dated as precisely as the sources allow.
"""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from quotes.models import Speaker, Statement
from quotes.normalize import normalize_text
from quotes.services.articles import article_extract, article_submit

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# Published Monday 10 March 2025: "on Friday" is 7 March.
WIRE = (
    "TOKYO — Japanese Prime Minister Shigeru Ishiba said on Friday that Japan would raise "
    "its defence spending. \u201cOur alliance with the United States is stronger than ever,\u201d "
    "Ishiba told reporters in Tokyo on Friday."
)
# Published Wednesday 12 March 2025: "last week" is the week of 3 March.
DAILY = (
    "Japan's prime minister said last week: \"OUR ALLIANCE with the United States is stronger "
    "than ever!\" The remark drew praise in Washington."
)
# Published Wednesday 5 November 2025, after Ishiba left office: the same role phrase is someone else.
LATER = (
    "Japan's prime minister said on Monday: \"Our economy must grow faster than our debt.\" "
    "Opposition leaders were unconvinced."
)


def ingest(text: str, published: datetime.date, outlet: str):
    article = article_submit(title=f"{outlet} report", text=text, published_at=published, outlet=outlet)
    return article_extract(article_id=article.pk)


@pytest.fixture
def speakers():
    call_command("loaddata", str(FIXTURES / "speakers.json"), verbosity=0)


def quote(words: str) -> Statement:
    return Statement.objects.get(normalized_text__contains=normalize_text(words))


def test_one_statement_however_many_outlets_report_it(speakers):
    ingest(WIRE, datetime.date(2025, 3, 10), "Wire")
    ingest(DAILY, datetime.date(2025, 3, 12), "Daily")

    alliance = quote("Our alliance with the United States is stronger than ever")
    assert alliance.appearances.count() == 2
    assert [s.name for s in alliance.speakers.all()] == ["Shigeru Ishiba"]
    # The most precise supported date wins; "last week" agrees with Friday 7 March.
    assert (alliance.said_on, alliance.said_on_precision) == (datetime.date(2025, 3, 7), "day")
    assert alliance.date_conflict is False
    assert alliance.first_reported_at.date() == datetime.date(2025, 3, 10)
    assert Speaker.objects.filter(name__icontains="Ishiba").count() == 1


def test_a_role_phrase_means_the_holder_on_the_date(speakers):
    ingest(LATER, datetime.date(2025, 11, 5), "Daily")
    economy = quote("Our economy must grow faster than our debt")
    assert [s.name for s in economy.speakers.all()] == ["Sanae Takaichi"]
    assert (economy.said_on, economy.said_on_precision) == (datetime.date(2025, 11, 3), "day")


def test_reingesting_changes_nothing(speakers):
    first = ingest(WIRE, datetime.date(2025, 3, 10), "Wire")
    ingest(DAILY, datetime.date(2025, 3, 12), "Daily")
    before = sorted(Statement.objects.values_list("fingerprint", "said_on", "said_on_precision"))
    article_extract(article_id=first.pk)
    assert sorted(Statement.objects.values_list("fingerprint", "said_on", "said_on_precision")) == before
