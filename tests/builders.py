"""Articles and hand-built engine output (Attribution) for tests, independent of the NLP engine.

Model factories are tests/factories.py; these build what the engine would have found.
"""

import datetime

from django.utils import timezone

from quotes.extraction.types import Attribution, DateResolution, Span
from quotes.services.statements import statements_replace_auto
from tests.factories import ArticleFactory

VERSION = "test-1"
TEXT = (
    'Jane Doe spoke on Saturday. "We will win the vote," Jane Doe said on Saturday. '
    "Richard Roe said the plan was sound."
)


def span_of(text: str, phrase: str, after: int = 0) -> Span:
    start = text.index(phrase, after)
    return Span(start, start + len(phrase))


def article(text: str, published: datetime.date = datetime.date(2025, 2, 9), **kwargs):
    published_at = timezone.make_aware(datetime.datetime.combine(published, datetime.time(8)), datetime.UTC)
    return ArticleFactory(text=text, published_at=published_at, **kwargs)


def said(
    text: str, quote: str, *, speakers: tuple[str, ...] = (), source: str | None = None,
    on: datetime.date | None = None, precision: str = "day", evidence: str | None = None,
    kind: str = "direct", confidence: float = 0.9, pieces: tuple[str, ...] = (), via: str | None = None,
    method: str = "relative",
) -> Attribution:
    """One attribution of ``quote`` in ``text``; the sentence is the whole text.

    ``pieces`` are the quoted passages inside ``quote`` (default: a direct quote's whole words).
    """
    content = span_of(text, quote)
    date = DateResolution()
    if on is not None:
        date = DateResolution(on, precision, span_of(text, evidence) if evidence else None, method)
    if not pieces and kind == "direct":
        pieces = (quote,)
    return Attribution(
        kind=kind, content=content, sentence=Span(0, len(text)),
        source=span_of(text, source) if source else None, speakers=speakers, said_on=date,
        confidence=confidence, pieces=tuple(span_of(text, piece, content.start) for piece in pieces),
        via=span_of(text, via) if via else None,
    )


def extract(art, *attributions):
    """Store ``attributions`` as the machine's reading of ``art``."""
    return statements_replace_auto(article=art, attributions=attributions, extractor_version=VERSION)


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
