"""Hand-built engine output, so pipeline tests do not depend on the NLP model."""

import datetime

from quotes.extraction.types import Attribution, DateResolution, Span

TEXT = (
    'Jane Doe spoke on Saturday. "We will win the vote," Jane Doe said on Saturday. '
    "Richard Roe said the plan was sound."
)


def span_of(text: str, phrase: str, after: int = 0) -> Span:
    start = text.index(phrase, after)
    return Span(start, start + len(phrase))


def attributions(text: str = TEXT) -> tuple[Attribution, ...]:
    """Two statements in TEXT: a dated direct quote and an undated indirect one."""
    quote = span_of(text, "We will win the vote,")
    source = span_of(text, "Jane Doe", after=quote.end)
    return (
        Attribution(
            kind="direct", content=quote, sentence=span_of(text, '"We will win the vote," Jane Doe said'),
            source=source, cue=Span(source.end + 1, source.end + 5), speakers=("Jane Doe",),
            said_on=DateResolution(datetime.date(2025, 2, 8), "day", span_of(text, "on Saturday", quote.end)),
            confidence=0.9,
        ),
        Attribution(
            kind="indirect", content=span_of(text, "the plan was sound"),
            sentence=span_of(text, "Richard Roe said the plan was sound."),
            source=span_of(text, "Richard Roe"), cue=span_of(text, "said", text.index("Richard Roe")),
            speakers=("Richard Roe",), confidence=0.7,
        ),
    )
