"""Golden cases for date resolution: find_dates, said_on_for, format_date.

Publication date for most cases is Sunday 9 February 2025, the seed article's.
"""

from __future__ import annotations

import ast
import datetime
import pathlib

import pytest

from quotes.extraction import extract
from quotes.extraction.dates import (
    AFTER,
    AT,
    BEFORE,
    BY,
    RANGE,
    SINCE,
    UNTIL,
    DateMention,
    find_dates,
    format_date,
    said_on_for,
)
from quotes.extraction.types import DAY, MONTH, UNKNOWN, WEEK, YEAR, DateResolution, Span

SUNDAY = datetime.date(2025, 2, 9)
D = datetime.date


def only(text: str, published: datetime.date | None = SUNDAY) -> DateMention:
    """The single date mention in ``text``."""
    mentions = find_dates(text, published=published)
    assert len(mentions) == 1, [(m.span.of(text), m.value) for m in mentions]
    return mentions[0]


def span(text: str, phrase: str) -> Span:
    """The span of the first ``phrase`` in ``text``."""
    start = text.index(phrase)
    return Span(start, start + len(phrase))


def said_on(text: str, cue: str | None, content: str | None, published=SUNDAY) -> DateResolution:
    """said_on_for with the whole text as the sentence and spans found by substring."""
    return said_on_for(
        text,
        sentence=Span(0, len(text)),
        cue=span(text, cue) if cue else None,
        content=span(text, content) if content else None,
        published=published,
    )


# --- weekdays, seen from Sunday 9 February 2025 -----------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Saturday", D(2025, 2, 8)),
        ("Saturday", D(2025, 2, 8)),
        ("Saturday's", D(2025, 2, 8)),
        ("on Monday", D(2025, 2, 3)),
        ("Tuesday night", D(2025, 2, 4)),
        ("Tuesday night's", D(2025, 2, 4)),
        # the publication's own weekday is the publication day (news usage)
        ("on Sunday", D(2025, 2, 9)),
        ("last Sunday", D(2025, 2, 2)),
        ("last Saturday", D(2025, 2, 8)),
        ("this past Friday", D(2025, 2, 7)),
        ("next Monday", D(2025, 2, 10)),
        ("ON SATURDAY", D(2025, 2, 8)),
    ],
)
def test_weekday_resolves_against_publication(phrase, expected):
    mention = only(f"He spoke {phrase} to the crowd.")
    assert (mention.value, mention.precision, mention.relation) == (expected, DAY, AT)


def test_weekday_from_midweek_publication():
    wednesday = D(2016, 4, 13)
    assert only("said Friday", wednesday).value == D(2016, 4, 8)
    assert only("said Wednesday", wednesday).value == wednesday
    assert only("said Thursday", wednesday).value == D(2016, 4, 7)


@pytest.mark.parametrize(
    "text", ["Super Tuesday primaries", "on Good Friday", "Black Friday sales", "Cyber Monday"]
)
def test_named_days_are_not_weekdays(text):
    assert find_dates(text, published=SUNDAY) == ()


# --- calendar formats ------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("on Jan. 20", D(2025, 1, 20), DAY),
        ("January 20", D(2025, 1, 20), DAY),
        ("Jan 20th", D(2025, 1, 20), DAY),
        ("20 January", D(2025, 1, 20), DAY),
        ("the 20th of January", D(2025, 1, 20), DAY),
        ("Feb. 8, 2025", D(2025, 2, 8), DAY),
        ("February 8 2025", D(2025, 2, 8), DAY),
        ("8 Feb 2025", D(2025, 2, 8), DAY),
        ("2025-02-08", D(2025, 2, 8), DAY),
        ("Sept. 11, 2001", D(2001, 9, 11), DAY),
        ("sep 11, 2001", D(2001, 9, 11), DAY),
        ("DEC. 25, 2024", D(2024, 12, 25), DAY),
        ("Feb. 2025", D(2025, 2, 1), MONTH),
        ("February of 2024", D(2024, 2, 1), MONTH),
        ("in February", D(2025, 2, 1), MONTH),
        ("in Sept.", D(2024, 9, 1), MONTH),
        ("in mid-January", D(2025, 1, 1), MONTH),
        ("last February", D(2024, 2, 1), MONTH),
        ("in 2018", D(2018, 1, 1), YEAR),
        ("the 2016 election", D(2016, 1, 1), YEAR),
    ],
)
def test_calendar_formats(phrase, expected, precision):
    mention = only(f"It happened {phrase}.")
    assert (mention.value, mention.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Feb. 8", D(2025, 2, 8)),  # the day before publication
        ("on Feb. 9", D(2025, 2, 9)),  # publication day itself
        ("on Feb. 10", D(2024, 2, 10)),  # later in the year: last year's
        ("on Dec. 30", D(2024, 12, 30)),
        ("on Feb. 29", D(2024, 2, 29)),  # walks back to a leap year
    ],
)
def test_month_day_without_year_looks_back(phrase, expected):
    assert only(f"It happened {phrase}.").value == expected


def test_month_without_year_is_latest_not_after_publication():
    assert only("in November").value == D(2024, 11, 1)
    assert only("in February").value == D(2025, 2, 1)


@pytest.mark.parametrize(
    "text",
    [
        "we may 5 times",  # lowercase may/march are verbs
        "they march 4 miles",
        "sent 2000 troops",  # a bare number is not a year
        "cost $2018",
        "May I ask?",  # a bare month needs a preposition
        "on Feb. 30",  # no such day
        "in Jan with",  # an abbreviation alone needs its dot
        "a 3.2018 ratio",
        "the USA Today poll",
    ],
)
def test_non_dates(text):
    assert find_dates(text, published=SUNDAY) == ()


# --- relative phrases --------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected", "precision"),
    [
        ("yesterday", D(2025, 2, 8), DAY),
        ("yesterday's", D(2025, 2, 8), DAY),
        ("last night", D(2025, 2, 8), DAY),
        ("the day before yesterday", D(2025, 2, 7), DAY),
        ("today", D(2025, 2, 9), DAY),
        ("this morning", D(2025, 2, 9), DAY),
        ("two days ago", D(2025, 2, 7), DAY),
        ("10 days ago", D(2025, 1, 30), DAY),
        ("last week", D(2025, 1, 27), WEEK),
        ("early last week", D(2025, 1, 27), WEEK),
        ("this week", D(2025, 2, 3), WEEK),
        ("earlier this week", D(2025, 2, 3), WEEK),
        ("a week ago", D(2025, 1, 27), WEEK),
        ("three weeks ago", D(2025, 1, 13), WEEK),
        ("last weekend", D(2025, 1, 27), WEEK),  # from a Sunday: the weekend before
        ("over the weekend", D(2025, 2, 3), WEEK),
        ("last month", D(2025, 1, 1), MONTH),
        ("this month", D(2025, 2, 1), MONTH),
        ("earlier this month", D(2025, 2, 1), MONTH),
        ("two months ago", D(2024, 12, 1), MONTH),
        ("last year", D(2024, 1, 1), YEAR),
        ("late last year", D(2024, 1, 1), YEAR),
        ("earlier this year", D(2025, 1, 1), YEAR),
        ("five years ago", D(2020, 1, 1), YEAR),
    ],
)
def test_relative_phrases(phrase, expected, precision):
    mention = only(f"It happened {phrase}, they said.")
    assert (mention.span.of(f"It happened {phrase}, they said."), mention.value, mention.precision) == (
        phrase,
        expected,
        precision,
    )


def test_last_weekend_from_a_monday_is_the_one_just_gone():
    assert only("last weekend", D(2025, 2, 10)).value == D(2025, 2, 3)


def test_without_publication_only_absolute_dates_resolve():
    text = "On Saturday, last week, on Jan. 20 and on Feb. 8, 2025, in 2018, in February 2024."
    got = [(m.span.of(text), m.value, m.precision) for m in find_dates(text, published=None)]
    assert got == [
        ("On Saturday", None, UNKNOWN),
        ("last week", None, UNKNOWN),
        ("on Jan. 20", None, UNKNOWN),
        ("on Feb. 8, 2025", D(2025, 2, 8), DAY),
        ("in 2018", D(2018, 1, 1), YEAR),
        ("in February 2024", D(2024, 2, 1), MONTH),
    ]


# --- relations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "relation"),
    [
        ("He spoke on Saturday.", "on Saturday", AT),
        ("Saturday's speech was long.", "Saturday's", AT),
        ("In his Saturday address, he spoke.", "Saturday", AT),
        ("It grew since his win in 2018.", "in 2018", AT),
        ("He has led since 2018.", "since 2018", SINCE),
        ("The talks run until Jan. 20.", "until Jan. 20", UNTIL),
        ("He left before Saturday.", "before Saturday", BEFORE),
        ("He left prior to Nov. 8.", "prior to Nov. 8", BEFORE),
        ("He left after Jan. 20.", "after Jan. 20", AFTER),
        ("He will decide by the end of 2025.", "by the end of 2025", BY),
        ("They met in 2018-2019.", "in 2018-2019", RANGE),
        ("They met in 2018–19.", "in 2018–19", RANGE),
        ("The poll ran February 15-17.", "February 15-17", RANGE),
    ],
)
def test_relation(text, phrase, relation):
    mention = only(text)
    assert (mention.span.of(text), mention.relation) == (phrase, relation)


def test_from_to_and_between_and_are_ranges():
    text = "from 2018 to 2019, between Jan. 5 and Jan. 9, from Monday until Wednesday"
    got = [(m.span.of(text), m.relation) for m in find_dates(text, published=SUNDAY)]
    assert got == [
        ("from 2018", RANGE),
        ("2019", RANGE),
        ("between Jan. 5", RANGE),
        ("Jan. 9", RANGE),
        ("from Monday", RANGE),
        ("until Wednesday", RANGE),
    ]


def test_seed_article_mentions():
    text = (
        "according to reports from state media on Sunday. In a speech delivered on Saturday, "
        "Kim criticized it. Trump, since his inauguration on January 20, has expressed a desire. "
        "Trump met with Kim three times in 2018-2019."
    )
    got = [(m.span.of(text), m.value, m.relation) for m in find_dates(text, published=SUNDAY)]
    assert got == [
        ("on Sunday", D(2025, 2, 9), AT),
        ("on Saturday", D(2025, 2, 8), AT),
        ("on January 20", D(2025, 1, 20), AT),
        ("in 2018-2019", D(2018, 1, 1), RANGE),
    ]


def test_a_full_month_name_leaves_the_sentence_full_stop_alone():
    text = "He said it at a town hall in March. Then in Jan. he left."
    got = [m.span.of(text) for m in find_dates(text, published=SUNDAY)]
    assert got == ["in March", "in Jan."]


def test_window_and_offsets_are_into_the_original_text():
    text = "On Monday he came. On Saturday he spoke."
    start = text.index("On Saturday")
    (mention,) = find_dates(text, published=SUNDAY, start=start)
    assert mention.span == Span(start, start + len("On Saturday"))
    assert find_dates(text, published=SUNDAY, end=start)[0].span.of(text) == "On Monday"


def test_mentions_are_frozen_and_deterministic():
    text = "On Saturday, last week, in 2018."
    first = find_dates(text, published=SUNDAY)
    assert first == find_dates(text, published=SUNDAY)
    with pytest.raises(AttributeError):
        first[0].value = None  # type: ignore[misc]


# --- said_on_for: the seed article ------------------------------------------------------

SPEECH = (
    "In a speech delivered on Saturday, commemorating the 77th founding anniversary of the "
    "Korean People’s Army, Kim criticized the U.S.-Japan-South Korea trilateral security "
    "alliance, likening its formation to a U.S. initiative to create a NATO-like military bloc "
    "in East Asia."
)
ADDRESS = (
    "In his Saturday address, Kim reiterated North Korea’s unwavering support for Russia, "
    "stating that the nation “will invariably support and encourage the just cause of the "
    "Russian army and people to defend their sovereignty, security, and territorial integrity.”"
)
INAUGURATION = (
    "Trump, since his inauguration on January 20, has expressed a desire to engage with Kim "
    "once more, recalling the high-stakes summit between them during his first term."
)
STATE_MEDIA = (
    "He has vowed to strengthen his nuclear weapons program, according to reports from state "
    "media on Sunday."
)


def test_seed_speech_delivered_on_saturday():
    got = said_on(SPEECH, "criticized", "the U.S.-Japan-South Korea trilateral security alliance")
    assert (got.value, got.precision, got.evidence.of(SPEECH)) == (D(2025, 2, 8), DAY, "on Saturday")


def test_seed_saturday_address():
    got = said_on(ADDRESS, "reiterated", "North Korea’s unwavering support for Russia")
    assert (got.value, got.precision, got.evidence.of(ADDRESS)) == (D(2025, 2, 8), DAY, "Saturday")
    content = ADDRESS[ADDRESS.index("the nation") :]
    assert said_on(ADDRESS, "stating", content).value == D(2025, 2, 8)


def test_seed_since_inauguration_is_unknown():
    assert said_on(INAUGURATION, "expressed", "a desire to engage with Kim once more") == DateResolution()


def test_seed_report_date_is_not_the_saying():
    content = "to strengthen his nuclear weapons program"
    assert said_on(STATE_MEDIA, "vowed", content) == DateResolution()
    assert said_on(STATE_MEDIA, "according to", content) == DateResolution()
    text = "Kim vowed to expand his arsenal, according to state media on Sunday."
    assert said_on(text, "according to", "to expand his arsenal") == DateResolution()


# --- said_on_for: attachment rules --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cue", "content", "expected", "evidence"),
    [
        ("Trump said on Jan. 20 that the deal was done.", "said", "the deal was done",
         D(2025, 1, 20), "on Jan. 20"),
        ("Rubio told reporters Tuesday that the order was wrong.", "told", "the order was wrong",
         D(2025, 2, 4), "Tuesday"),
        ("“It’s breathtaking,” Scarborough said Monday.", "said", "It’s breathtaking",
         D(2025, 2, 3), "Monday"),
        ("“It’s over,” he said at a Tuesday rally in Ohio.", "said", "It’s over",
         D(2025, 2, 4), "Tuesday"),
        ("The candidate said in a Thursday interview with Sirius XM that it failed.", "said",
         "it failed", D(2025, 2, 6), "Thursday"),
        ("Trump on Tuesday said the talks had stalled.", "said", "the talks had stalled",
         D(2025, 2, 4), "on Tuesday"),
        ("Trump, speaking at a rally on Tuesday, said the talks had stalled.", "said",
         "the talks had stalled", D(2025, 2, 4), "on Tuesday"),
        ("Asked during a January debate why he trailed, Sanders said he would gain ground.", "said",
         "he would gain ground", D(2025, 1, 1), "January"),
        ("Tuesday, the director said the argument was weak.", "said", "the argument was weak",
         D(2025, 2, 4), "Tuesday"),
        ("On Friday, Trump said Tuesday's vote was rigged.", "said", "Tuesday's vote was rigged",
         D(2025, 2, 7), "On Friday"),
        ("Last week, Trump told Fox News that he would meet Kim.", "told", "he would meet Kim",
         D(2025, 1, 27), "Last week"),
        ("Trump said yesterday that he would meet Kim.", "said", "he would meet Kim",
         D(2025, 2, 8), "yesterday"),
        ("Sanders, who on Tuesday endorsed Clinton, said Wednesday he agrees.", "said",
         "he agrees", D(2025, 2, 5), "Wednesday"),
        ("Trump said in 2018 that he liked Kim.", "said", "he liked Kim", D(2018, 1, 1), "in 2018"),
        ("“We will release them,” she told ABC News in February.", "told", "We will release them",
         D(2025, 2, 1), "in February"),
        ("In February 2024, Trump said he liked Kim.", "said", "he liked Kim", D(2024, 2, 1),
         "In February 2024"),
    ],
)  # fmt: skip
def test_date_tied_to_the_saying(text, cue, content, expected, evidence):
    got = said_on(text, cue, content)
    assert (got.value, got.evidence.of(text)) == (expected, evidence)


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        # the date is inside what was said
        ("Trump said that he met Kim on Saturday.", "said", "he met Kim on Saturday"),
        ("Trump said, “I met him on Saturday.”", "said", None),
        ("Trump said he met Kim in 2018.", "said", None),
        # the date belongs to another event
        ("Sanders, who on Tuesday endorsed Clinton, said he agrees.", "said", "he agrees"),
        ("KCNA reported on Sunday that Kim said the drills were provocative.", "said",
         "the drills were provocative"),
        ("Trump said after a lunch on Tuesday that he was happy.", "said", "he was happy"),
        ("He got a boost from the win Tuesday, Sanders said.", "said", None),
        ("“It’s doable,” Cuban said in an interview airing Sunday on NBC.", "said", "It’s doable"),
        ("When Trump met Kim on Tuesday, he said it went well.", "said", "it went well"),
        ("After the summit on Jan. 20, Trump said it went well.", "said", "it went well"),
        ("Since Jan. 20, Trump has said it many times.", "said", "it"),
        ("According to state media on Sunday, Kim said the drills must stop.", "said",
         "the drills must stop"),
        # a date after publication cannot be when a reported statement was made
        ("Trump said on March 3, 2025 that he would go.", "said", "he would go"),
        ("Trump said tomorrow that he would go.", "said", "he would go"),
        # no date at all
        ("Kim has declared that the partnership poses a threat.", "declared",
         "the partnership poses a threat"),
    ],
)  # fmt: skip
def test_unknown_when_no_date_is_tied_to_the_saying(text, cue, content):
    assert said_on(text, cue, content) == DateResolution()


def test_no_cue_is_unknown():
    assert said_on("On Saturday, “we will win.”", None, "we will win") == DateResolution()


def test_without_publication_relative_dates_give_unknown():
    assert said_on("Trump said Tuesday that he won.", "said", "he won", published=None) == DateResolution()
    got = said_on("Trump said on Feb. 8, 2025 that he won.", "said", "he won", published=None)
    assert (got.value, got.precision) == (D(2025, 2, 8), DAY)


def test_sentence_bounds_the_search():
    text = "On Saturday, the army marched. Kim said the drills were a threat."
    sentence = span(text, "Kim said the drills were a threat.")
    got = said_on_for(text, sentence=sentence, cue=span(text, "said"), content=None, published=SUNDAY)
    assert got == DateResolution()


def test_nearest_tied_date_wins():
    got = said_on("On Friday, Trump said Saturday that he won.", "said", "he won")
    assert got.value == D(2025, 2, 8)


# --- format_date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (D(2025, 2, 8), DAY, "8 February 2025"),
        (D(2025, 2, 3), WEEK, "week of 3 February 2025"),
        (D(2025, 2, 1), MONTH, "February 2025"),
        (D(2025, 1, 1), YEAR, "2025"),
        (None, UNKNOWN, "date unknown"),
        (D(2025, 2, 8), UNKNOWN, "date unknown"),
    ],
)
def test_format_date(value, precision, shown):
    assert format_date(value, precision) == shown


# --- purity -------------------------------------------------------------------------------


def test_date_modules_import_only_the_standard_library_and_the_engine():
    root = pathlib.Path(__file__).resolve().parents[3] / "quotes" / "extraction" / "dates"
    paths = sorted(root.glob("*.py"))
    assert len(paths) >= 5, paths  # __init__, calendar, discourse, grammar, saying
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                sibling = node.level == 1 or (node.level == 2 and node.module == "types")
                assert sibling or node.module in {"__future__", "datetime", "re", "dataclasses",
                                                  "collections.abc"}, (path.name, node.module)
            elif isinstance(node, ast.Import):
                assert all(alias.name in {"datetime", "re"} for alias in node.names), path.name


@pytest.mark.parametrize(
    ("published", "phrase"),
    [
        (datetime.date.min, "on Saturday"),
        (datetime.date.min, "yesterday"),
        (datetime.date.min, "last week"),
        (datetime.date.min, "last year"),
        (datetime.date.min, "in December"),
        (datetime.date.min, "five years ago"),
        (datetime.date.max, "next Saturday"),
        (datetime.date.max, "tomorrow"),
        (datetime.date.max, "next year"),
        (datetime.date.max, "next month"),
    ],
)
def test_a_date_beyond_the_calendar_is_unknown_not_a_crash(published, phrase):
    text = f"Kim said {phrase} that the plan failed."
    mention = only(text, published)
    assert (mention.span.of(text), mention.value, mention.precision) == (phrase, None, UNKNOWN)
    (a,) = extract(text, published=published)
    assert a.said_on == DateResolution()


def test_other_dates_in_the_sentence_still_resolve_at_the_calendars_edge():
    text = "Kim said on Jan. 1, 2025, that the plan failed yesterday."
    mentions = find_dates(text, published=datetime.date.min)
    assert [(m.span.of(text), m.value) for m in mentions] == [
        ("on Jan. 1, 2025", D(2025, 1, 1)), ("yesterday", None)]
