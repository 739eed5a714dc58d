"""Fixtures for the API tests: a small world of speakers, articles and statements."""

import datetime

import pytest

from quotes.models import SpeakerAlias, Statement
from tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    OutletFactory,
    RoleFactory,
    SpeakerAliasFactory,
    SpeakerFactory,
    StatementFactory,
)


@pytest.fixture
def world(db):
    """Two speakers, three articles, four statements (one rejected, one undated)."""
    jane = SpeakerFactory(name="Jane Doe", slug="jane-doe", description="Prime Minister of Ruritania")
    SpeakerAliasFactory(speaker=jane, name="Jane Doe")
    SpeakerAliasFactory(
        speaker=jane, name="the Ruritanian prime minister", kind=SpeakerAlias.Kind.ROLE_PHRASE,
        valid_from=datetime.date(2020, 1, 1),
    )
    RoleFactory(speaker=jane, title="Minister of Finance", start=datetime.date(2015, 1, 1),
                end=datetime.date(2019, 12, 31))
    RoleFactory(speaker=jane, title="Prime Minister", start=datetime.date(2020, 1, 1))
    john = SpeakerFactory(name="John Roe", slug="john-roe")
    outlet = OutletFactory(name="Daily Example")
    a1 = ArticleFactory(title="Budget day", outlet=outlet)
    a2 = ArticleFactory(
        title="Election eve", outlet=None,
        published_at=datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC),
    )
    taxes = StatementFactory(text="We will cut taxes for everyone.", said_on=datetime.date(2021, 3, 1),
                             speakers=[jane])
    finance = StatementFactory(text="The budget is balanced.", said_on=datetime.date(2018, 6, 1),
                               kind=Statement.Kind.INDIRECT, speakers=[jane])
    undated = StatementFactory(text="Roads matter.", said_on=None,
                               said_on_precision=Statement.Precision.UNKNOWN, speakers=[john])
    rejected = StatementFactory(text="Nonsense extracted by mistake.", said_on=datetime.date(2021, 1, 1),
                                review_status=Statement.Review.REJECTED, speakers=[john])
    AppearanceFactory(statement=taxes, article=a1, start=0, end=10, speaker_as_written="she",
                      cue="said", cue_start=20, cue_end=24, source_start=15, source_end=18,
                      said_on=datetime.date(2021, 3, 1), said_on_precision="day", extractor_version="t1")
    AppearanceFactory(statement=taxes, article=a2, start=0, end=10)
    AppearanceFactory(statement=finance, article=a1, start=11, end=20)
    AppearanceFactory(statement=undated, article=a2, start=11, end=20)
    AppearanceFactory(statement=rejected, article=a2, start=21, end=30)
    return {
        "jane": jane, "john": john, "a1": a1, "a2": a2, "taxes": taxes, "finance": finance,
        "undated": undated, "rejected": rejected,
    }
