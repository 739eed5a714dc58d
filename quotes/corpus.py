"""A synthetic corpus for scale benchmarks: invented speakers, outlets, articles and statements.

``manage.py generate_corpus --statements N --seed S`` (the thin command) calls
:func:`corpus_generate`. Everything is invented: speakers' names are built from
syllables (never a real person), statements from phrase lists, articles around
the statements they report, so each appearance's offsets point at the
statement's words in its article. The same seed gives the same corpus.

Shapes scaled from N (for N = 1,000,000): 200,000 articles, 2,000 speakers,
1.5 appearances per statement, 3-5 "leaders" holding 5-15 % of the statements
each and a long tail for the rest, dates over ten years (8 % undated), ~100
outlets, a few % verified or rejected, confidence 0.3-0.95.

On PostgreSQL rows go in through COPY, with the tables' secondary indexes and
foreign keys set aside and rebuilt (so validated) at the end, in one
transaction; other databases get plain INSERTs, fine for a few thousand rows.

Example::

    >>> shape = CorpusShape.for_statements(1_000_000)
    >>> shape.articles, shape.speakers, shape.appearances, shape.outlets
    (200000, 2000, 1500000, 100)
"""

from __future__ import annotations

import datetime
import io
import json
import random
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef
from django.utils import timezone
from django.utils.text import slugify

from quotes.models import (
    Appearance,
    Article,
    Outlet,
    Role,
    Speaker,
    SpeakerAlias,
    SpeakerMonth,
    Statement,
    StatementSpeaker,
)
from quotes.normalize import content_hash, normalize_name, normalize_text, statement_fingerprint
from quotes.services.counters import speaker_months_refresh

# Every generated article lives under this host: any other article is real data.
HOST = "https://corpus.generated.invalid/"
# Generated speakers and outlets are recognised by these, so --replace removes only them.
SPEAKER_MARK = "Invented speaker (generated corpus)"
OUTLET_DOMAIN = ".generated.invalid"
EXTRACTOR_VERSION = "generated-corpus-1"
# A word many statements contain, for benchmarking text search.
SAMPLE_WORD = "pension"

# The ten years the articles are published in; fixed, so a seed gives one corpus whatever the day.
FIRST_DAY = datetime.datetime(2015, 7, 1, tzinfo=datetime.UTC)
SPAN_SECONDS = 3652 * 86400
FLUSH_EVERY = 2000  # articles per COPY batch


class CorpusRefused(Exception):
    """The database holds data the generator did not make, or a corpus without --replace."""


@dataclass(frozen=True)
class CorpusShape:
    """How many of each row a corpus of ``statements`` statements has."""

    statements: int
    articles: int
    speakers: int
    appearances: int
    outlets: int

    @classmethod
    def for_statements(cls, statements: int, *, articles: int | None = None,
                       speakers: int | None = None) -> CorpusShape:
        if statements < 1:
            raise ValueError("a corpus needs at least one statement")
        articles = articles or max(1, round(statements / 5))
        speakers = speakers or max(20, round(statements / 500))
        appearances = max(round(statements * 1.5), statements, articles)
        outlets = max(3, min(100, articles // 2000))
        return cls(statements, articles, speakers, appearances, outlets)


# Words -------------------------------------------------------------------------------

_SUBJECTS = (
    "we", "this government", "our party", "the committee", "my office", "the ministry", "nobody here",
    "the people of this region", "our opponents", "the council", "this administration", "every family",
    "the opposition", "our allies", "the central bank", "investors", "farmers", "teachers", "the police",
    "young voters", "the unions", "our negotiators", "the regulators", "the courts", "small towns",
    "the delegation", "the treasury", "local mayors", "our scientists", "the armed forces",
)
_VERBS = (
    "will cut", "must protect", "cannot ignore", "will never accept", "are going to rebuild",
    "have to reform", "will defend", "should review", "need to fund", "will not abandon",
    "refuse to raise", "are ready to negotiate", "intend to expand", "will investigate", "plan to reduce",
    "have failed to deliver", "want to simplify", "promise to restore", "oppose", "support",
    "will audit", "cannot afford", "must modernise", "will freeze", "are determined to secure",
    "will challenge", "welcome", "reject", "have doubled", "will publish",
)
_ADJECTIVES = (
    "", "", "", "", "national", "regional", "new", "outdated", "costly", "fragile", "essential", "failed",
    "ambitious", "temporary", "public", "private", "rural", "urban", "emergency", "long-term", "unfair",
    "secret", "popular", "controversial", "basic", "digital", "coastal", "northern", "southern", "federal",
)
_OBJECTS = (
    "fuel tax", "hospitals", "pension system", "schools", "border agreement", "housing plan",
    "small businesses", "railway network", "water supply", "energy prices", "trade deal", "budget",
    "minimum wage", "police stations", "child benefit", "steel industry", "fishing quotas",
    "broadband rollout", "election law", "climate targets", "defence spending", "grain exports",
    "tax on banks", "bus routes",
    "nursing homes", "university fees", "customs checks", "wind farms", "court reform", "flood defences",
    "pension fund", "health service", "ceasefire talks", "sanctions", "vaccine programme", "mining licences",
    "airport expansion", "bridge repairs", "teacher salaries", "food prices", "refugee quotas", "coal plants",
    "postal service", "tourism levy", "water charges", "farm subsidies", "army reserve", "privacy rules",
    "steel tariffs", "pension age", "housing benefit", "prison system", "harbour project", "state media",
)
_TAILS = (
    "", "", "before the winter session", "by the end of the year", "for working families",
    "without new borrowing", "in every district", "despite the pressure", "next spring", "this week",
    "within ninety days", "as long as I hold this office", "whatever the cost", "for the next generation",
    "after the summit", "before the election", "in the coming months", "with our partners",
    "under the new rules", "once and for all",
)
_REASONS = (
    "", "", "", "", "", "because the numbers do not add up", "because people are tired of waiting",
    "and we will say so in parliament", "but the opposition keeps blocking it",
    "and the figures will prove us right", "because the last plan failed", "and nobody should be surprised",
    "because our economy depends on it", "while prices keep rising", "and the public deserves the truth",
    "because the law is clear", "even if the markets disagree", "since the report was published",
    "and I have told the ministers so", "because the deficit is growing",
)
_FILLER = (
    "The debate continued late into the evening.", "Officials declined to give further details.",
    "The proposal has divided the governing coalition.", "Figures released on Monday showed a sharp change.",
    "Protesters gathered outside the building.", "The vote is expected next week.",
    "Analysts said the outcome remained uncertain.", "The statement came after weeks of negotiation.",
    "Several regional leaders were present.", "The ministry published its own estimate.",
    "Opinion polls suggest voters are split.", "A spokesperson confirmed the meeting took place.",
)
_FIRST = ("Al", "Bre", "Cor", "Da", "El", "Fen", "Gri", "Ha", "Is", "Jo", "Ka", "Lu", "Mi", "No", "Or",
          "Pe", "Quin", "Ro", "Sa", "Te", "Ul", "Va", "Wy", "Xa", "Yo", "Ze")
_FIRST_END = ("na", "ric", "lan", "mir", "sa", "ven", "dra", "los", "tin", "ela", "mon", "rik", "ssa", "dor")
_LAST = ("Vol", "Tar", "Mek", "Ost", "Bran", "Quel", "Dor", "Fal", "Gar", "Lind", "Mor", "Pral", "Sev",
         "Thal", "Vark", "Wend", "Zol", "Kest", "Harv", "Nor")
_LAST_END = ("ovan", "essi", "ardt", "inko", "wick", "ala", "enko", "ström", "ades", "ura", "elli", "anov")
_PLACES = ("Arden", "Belmar", "Corvin", "Dunhill", "Estrava", "Fallow", "Grenmoor", "Halvik", "Irona",
           "Juniper", "Kelmar", "Lorwick", "Marren", "Norvale", "Ostery", "Pellam", "Quarrow", "Rusk",
           "Selwyn", "Tarrow")
_PAPERS = ("Herald", "Courier", "Gazette", "Post", "Tribune", "Observer", "Chronicle", "Ledger", "Times",
           "Dispatch", "Sentinel", "Record")
_OFFICES = ("President", "Prime Minister", "Finance Minister", "Foreign Minister", "Mayor")


def _person_name(rng: random.Random) -> str:
    first = rng.choice(_FIRST) + rng.choice(_FIRST_END)
    return f"{first} {rng.choice(_LAST)}{rng.choice(_LAST_END)}"


def _statement_words(rng: random.Random, *, partial: bool = False) -> str:
    """A sentence ("We will cut the costly fuel tax before the election"), or for a partial
    quote the words a reporter would put in quotation marks ("cut the costly fuel tax")."""
    middle = [rng.choice(_VERBS), "the", rng.choice(_ADJECTIVES), rng.choice(_OBJECTS), rng.choice(_TAILS)]
    if rng.random() < 0.3:  # figures and places, as real quotes have them
        middle[-1] = rng.choice((f"by {rng.randrange(2, 60)} percent", f"in {rng.choice(_PLACES)}",
                                 f"worth {rng.randrange(1, 900)} million", middle[-1]))
    if partial:
        words = middle[1:] if rng.random() < 0.5 else middle
        return " ".join(p for p in words if p)
    parts = [rng.choice(_SUBJECTS), *middle, rng.choice(_REASONS)]
    text = " ".join(p for p in parts if p)
    return text[0].upper() + text[1:]


# Rows in memory ----------------------------------------------------------------------


@dataclass
class _Speaker:
    id: int
    name: str
    slug: str
    leader: bool


@dataclass
class _Statement:
    id: int
    text: str
    kind: str
    speakers: tuple[_Speaker, ...]
    said_on: datetime.date | None
    precision: str


@dataclass
class _Batch:
    """Rows waiting for the next COPY, table by table."""

    articles: list[tuple] = field(default_factory=list)
    statements: list[tuple] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)
    appearances: list[tuple] = field(default_factory=list)


def _said_on(rng: random.Random, published: datetime.datetime) -> tuple[datetime.date | None, str, str]:
    """(said_on, precision, method): mostly the day before or of publication, some coarser, 8 % unknown."""
    roll = rng.random()
    if roll < 0.08:
        return None, Statement.Precision.UNKNOWN, Statement.DateMethod.UNKNOWN
    day = published.date() - datetime.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3, 5)))
    if roll < 0.11:
        monday = day - datetime.timedelta(days=day.weekday())
        return monday, Statement.Precision.WEEK, Statement.DateMethod.RELATIVE
    if roll < 0.16:
        return day.replace(day=1), Statement.Precision.MONTH, Statement.DateMethod.CONTEXT
    if roll < 0.18:
        return day.replace(month=1, day=1), Statement.Precision.YEAR, Statement.DateMethod.CONTEXT
    method = Statement.DateMethod.EXPLICIT if roll < 0.4 else Statement.DateMethod.RELATIVE
    return day, Statement.Precision.DAY, method


class _Generator:
    """Walks the articles in publication order, making statements as they are first reported."""

    def __init__(self, shape: CorpusShape, seed: int, ids: dict[str, int]):
        self.shape = shape
        self.rng = random.Random(seed)
        self.ids = ids  # the id before the first of each table
        self.now = timezone.now()
        self.speakers = self._make_speakers()
        self._cum_weights = self._speaker_weights()
        self.outlets = self._make_outlets()
        self.fingerprints: set[str] = set()
        self.hashes: set[str] = set()
        self.pool: list[_Statement] = []  # recent statements that later articles report again
        self.made = 0
        self.appearance_id = ids["appearance"]

    # Speakers and outlets

    def _make_speakers(self) -> list[_Speaker]:
        rng, names, out = self.rng, set(), []
        leaders = min(3 + rng.randrange(3), self.shape.speakers - 1)
        while len(out) < self.shape.speakers:
            name = _person_name(rng)
            if len(names) > 20_000:  # more speakers than two-part names: add an initial
                name = f"{name.split()[0]} {rng.choice(_FIRST)[0]}. {name.split()[1]}"
            if name.lower() in names:
                continue
            names.add(name.lower())
            out.append(_Speaker(self.ids["speaker"] + len(out) + 1, name, slugify(name), len(out) < leaders))
        return out

    def _speaker_weights(self) -> list[float]:
        leaders = [s for s in self.speakers if s.leader]
        shares = [self.rng.uniform(0.05, 0.15) for _ in leaders]
        rest = len(self.speakers) - len(leaders)
        tail = [1.0 / (rank + 5) ** 1.1 for rank in range(rest)]
        scale = (1 - sum(shares)) / sum(tail)
        weights = shares + [w * scale for w in tail]
        cum, total = [], 0.0
        for w in weights:
            total += w
            cum.append(total)
        return cum

    def _make_outlets(self) -> list[tuple[int, str]]:
        names: list[str] = []
        while len(names) < self.shape.outlets:
            name = f"The {self.rng.choice(_PLACES)} {self.rng.choice(_PAPERS)}"
            name = name if name not in names else f"{name} {len(names)}"
            names.append(name)
        return [(self.ids["outlet"] + i + 1, name) for i, name in enumerate(names)]

    def speaker_rows(self) -> Iterator[tuple]:
        for s in self.speakers:
            description = f"{SPEAKER_MARK}; leader" if s.leader else SPEAKER_MARK
            yield (s.id, self.now, self.now, s.name, s.slug, description, None, False, True)

    def alias_rows(self) -> Iterator[tuple]:
        for s in self.speakers:
            yield (s.id, s.name, normalize_name(s.name), SpeakerAlias.Kind.FULL_NAME, "en")

    def role_rows(self) -> Iterator[tuple]:
        for i, s in enumerate(s for s in self.speakers if s.leader):
            start = (FIRST_DAY + datetime.timedelta(days=365 * i)).date()
            yield (s.id, _OFFICES[i % len(_OFFICES)], f"Republic of {_PLACES[i]}", start, None)

    def outlet_rows(self) -> Iterator[tuple]:
        for oid, name in self.outlets:
            yield (oid, self.now, self.now, name, f"{slugify(name)}{OUTLET_DOMAIN}")

    # Statements and articles

    def _appearance_counts(self) -> list[int]:
        """Appearances per article: one each, the rest spread unevenly (some articles quote a lot)."""
        shape, rng = self.shape, self.rng
        counts = [1] * shape.articles
        extra = shape.appearances - shape.articles
        if extra > 0:
            weights = [rng.lognormvariate(0, 0.8) for _ in range(shape.articles)]
            for j in rng.choices(range(shape.articles), weights=weights, k=extra):
                counts[j] += 1
        return counts

    def _new_statement(self, published: datetime.datetime) -> _Statement:
        rng = self.rng
        while True:
            at = bisect_right(self._cum_weights, rng.random() * self._cum_weights[-1])
            speaker = self.speakers[min(at, len(self.speakers) - 1)]
            speakers = (speaker,)
            if rng.random() < 0.02:  # a joint statement
                other = rng.choice(self.speakers)
                if other is not speaker:
                    speakers = (speaker, other)
            kind_roll = rng.random()
            kind = (Statement.Kind.PARTIAL if kind_roll < 0.15
                    else Statement.Kind.DIRECT if kind_roll < 0.7 else Statement.Kind.INDIRECT)
            text = _statement_words(rng, partial=kind == Statement.Kind.PARTIAL)
            fingerprint = statement_fingerprint(text, [s.id for s in speakers])
            if fingerprint not in self.fingerprints:
                self.fingerprints.add(fingerprint)
                break
        said_on, precision, method = _said_on(rng, published)
        self.made += 1
        statement = _Statement(self.ids["statement"] + self.made, text, kind, speakers, said_on, precision)
        review_roll = rng.random()
        review = (Statement.Review.VERIFIED if review_roll < 0.03
                  else Statement.Review.REJECTED if review_roll < 0.04 else Statement.Review.EXTRACTED)
        reviewed_at = published + datetime.timedelta(days=2) if review != Statement.Review.EXTRACTED else None
        confidence = round(rng.uniform(0.3, 0.95), 3)
        # source_count 1 for now: statements reported again are recounted at the end (_counters_fill).
        self.batch.statements.append((
            statement.id, self.now, self.now, text, normalize_text(text), fingerprint, kind, said_on,
            precision, method, False, published, review, False, None, reviewed_at, confidence, None, 1,
        ))
        # The timeline's copy of the date and of its default floor (quotes.services.counters).
        shown = review == Statement.Review.VERIFIED or (
            review != Statement.Review.REJECTED and confidence >= settings.TIMELINE_MIN_CONFIDENCE
        )
        for s in speakers:
            self.batch.links.append((statement.id, s.id, said_on, shown))
        self.pool.append(statement)
        if len(self.pool) > 20_000:
            del self.pool[:5_000]
        return statement

    def _reported(self, published: datetime.datetime, slots: int, new_left: int, apps_left: int,
                  ) -> tuple[list[_Statement], int]:
        """The statements an article reports: new ones, or recent ones reported again."""
        chosen: list[_Statement] = []
        for _ in range(slots):
            if not self.pool or new_left >= apps_left or self.rng.random() * apps_left < new_left:
                chosen.append(self._new_statement(published))
                new_left -= 1
            else:
                pick = self.rng.choice(self.pool)
                for _retry in range(3):
                    if pick not in chosen:
                        break
                    pick = self.rng.choice(self.pool)
                chosen.append(pick)
            apps_left -= 1
        return chosen, new_left

    def _article(self, index: int, article_id: int, published: datetime.datetime,
                 statements: list[_Statement]) -> None:
        """One article's row and its appearances: each statement's words at its offsets."""
        rng, parts = self.rng, []
        place = rng.choice(_PLACES).upper()
        pos = 0

        def add(piece: str) -> int:
            nonlocal pos
            start = pos
            parts.append(piece)
            pos += len(piece)
            return start

        add(f"{place}, {published:%B} {published.day} \u2014 {rng.choice(_FILLER)} ")
        for statement in statements:
            written = statement.speakers[0].name
            if rng.random() < 0.4:
                written = written.split()[-1]
            if len(statement.speakers) > 1:
                written = f"{written} and {statement.speakers[1].name}"
            sentence_start = pos
            if statement.kind == Statement.Kind.DIRECT:
                add("\u201c")
                start = add(statement.text)
                add(",\u201d ")
                source = add(written)
                add(" ")
                cue = add("said")
                add(".")
            elif statement.kind == Statement.Kind.PARTIAL:
                source = add(written)
                add(" ")
                cue = add("said")
                add(" it was \u201c" if statement.text.startswith("the ") else " they would \u201c")
                start = add(statement.text)
                add("\u201d.")
            else:
                source = add(written)
                add(" ")
                cue = add("said")
                add(" that ")
                start = add(statement.text)
                add(".")
            context = "".join(parts)[sentence_start:]
            add(f" {rng.choice(_FILLER)}\n\n" if rng.random() < 0.5 else " ")
            self.appearance_id += 1
            self.batch.appearances.append((
                self.appearance_id, statement.id, article_id, start, start + len(statement.text), written,
                source, source + len(written), "said", cue, cue + 4, context, statement.said_on,
                statement.precision, "", Appearance.Origin.EXTRACTED, EXTRACTOR_VERSION, self.now,
            ))
        text = "".join(parts).rstrip()
        digest = content_hash(text)
        if digest in self.hashes:  # two articles reporting the same statements the same way
            text += f"\n\n({index})"
            digest = content_hash(text)
        self.hashes.add(digest)
        outlet_id = self.outlets[index % len(self.outlets)][0]
        title = f"{statements[0].speakers[0].name}: {statements[0].text[:80]}"
        self.batch.articles.append((
            article_id, self.now, self.now, f"{HOST}a/{index}", title, outlet_id, _person_name(rng),
            published, text, digest, Article.Status.DONE, "", EXTRACTOR_VERSION,
            published + datetime.timedelta(minutes=5), None, len({s.id for s in statements}),
        ))

    def batches(self) -> Iterator[_Batch]:
        """The articles, their statements and appearances, a few thousand articles at a time."""
        shape, rng = self.shape, self.rng
        published = sorted(FIRST_DAY + datetime.timedelta(seconds=rng.randrange(SPAN_SECONDS))
                           for _ in range(shape.articles))
        counts = self._appearance_counts()
        new_left, apps_left = shape.statements, shape.appearances
        self.batch = _Batch()
        for j, (when, slots) in enumerate(zip(published, counts, strict=True)):
            statements, new_after = self._reported(when, slots, new_left, apps_left)
            new_left, apps_left = new_after, apps_left - slots
            self._article(j, self.ids["article"] + j + 1, when, statements)
            if (j + 1) % FLUSH_EVERY == 0:
                yield self.batch
                self.batch = _Batch()
        yield self.batch


# Writing -----------------------------------------------------------------------------


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict):  # a JSON column's default (Appearance.pieces)
        return json.dumps(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _adapt(value):
    """A value as the database driver takes it (INSERT path: SQLite)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, list | dict):  # a JSON column's default (Appearance.pieces)
        return json.dumps(value)
    return value


def _columns(model: type[Model], given: Sequence[str]) -> tuple[list[str], tuple]:
    """The table's columns: ``given`` first, then every other column at its model default.

    A column added to the model later is filled with its default rather than
    breaking the load (counters are recounted at the end: _counters_fill).
    """
    extra, defaults = [], []
    for f in model._meta.concrete_fields:
        if f.column in given or f.primary_key:  # an id not given is the database's to number
            continue
        extra.append(f.column)
        defaults.append(f.get_default())
    return [*given, *extra], tuple(defaults)


def _write(model: type[Model], given: Sequence[str], rows: Iterable[tuple]) -> None:
    columns, defaults = _columns(model, given)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(map(_copy_value, (*row, *defaults))))
                buffer.write("\n")
            buffer.seek(0)
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN", buffer)
        else:
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, [tuple(map(_adapt, (*row, *defaults))) for row in rows])


_SPEAKER_COLS = ("id", "created_at", "updated_at", "name", "slug", "description", "wikidata_qid",
                 "is_organization", "reviewed")
_ALIAS_COLS = ("speaker_id", "name", "normalized", "kind", "language")
_ROLE_COLS = ("speaker_id", "title", "organization", "start", "end")
_OUTLET_COLS = ("id", "created_at", "updated_at", "name", "domain")
_ARTICLE_COLS = ("id", "created_at", "updated_at", "url", "title", "outlet_id", "author", "published_at",
                 "text", "content_hash", "extraction_status", "extraction_error", "extractor_version",
                 "extracted_at", "submitted_by_id", "statement_count")
_STATEMENT_COLS = ("id", "created_at", "updated_at", "text", "normalized_text", "fingerprint", "kind",
                   "said_on", "said_on_precision", "said_on_method", "date_conflict", "first_reported_at",
                   "review_status", "edited", "reviewed_by_id", "reviewed_at", "confidence", "part_of_id",
                   "source_count")
_LINK_COLS = ("statement_id", "speaker_id", "said_on", "shown")
_APPEARANCE_COLS = ("id", "statement_id", "article_id", "start", "end", "speaker_as_written", "source_start",
                    "source_end", "cue", "cue_start", "cue_end", "context", "said_on", "said_on_precision",
                    "date_evidence", "origin", "extractor_version", "created_at")


def _write_batch(batch: _Batch) -> None:
    _write(Article, _ARTICLE_COLS, batch.articles)
    _write(Statement, _STATEMENT_COLS, batch.statements)
    _write(StatementSpeaker, _LINK_COLS, batch.links)
    _write(Appearance, _APPEARANCE_COLS, batch.appearances)


# Safety and cleanup ------------------------------------------------------------------


def corpus_check(*, replace: bool) -> None:
    """Refuse a database with real data, or with a corpus when ``replace`` is not asked.

    Real data: an article whose URL is not under HOST (or has none), or a
    statement that no generated article reports.
    """
    real = Article.objects.exclude(url__startswith=HOST)
    if real.exists():
        raise CorpusRefused(
            f"the database holds {real.count()} real article(s) (URL not under {HOST}); refusing to touch it"
        )
    orphans = Statement.objects.filter(~Exists(Appearance.objects.filter(statement=OuterRef("pk"))))
    if orphans.exists():
        raise CorpusRefused(f"the database holds {orphans.count()} statement(s) no generated article reports")
    if not replace and Article.objects.exists():
        raise CorpusRefused("the database already holds a generated corpus; pass --replace to make it again")


def _tables(*models: type[Model]) -> list[str]:
    return [m._meta.db_table for m in models]


def corpus_delete() -> None:
    """Delete a generated corpus (corpus_check has made sure nothing else is there)."""
    generated = Speaker.objects.filter(description__startswith=SPEAKER_MARK)
    if connection.vendor == "postgresql":
        tables = _tables(Appearance, StatementSpeaker, Statement, Article)
        with connection.cursor() as cursor:
            # CASCADE also empties the tables that point at these (duplicate pairs, candidates).
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        SpeakerAlias.objects.filter(speaker__in=generated)._raw_delete(connection.alias)
        SpeakerMonth.objects.filter(speaker__in=generated)._raw_delete(connection.alias)
        Role.objects.filter(speaker__in=generated)._raw_delete(connection.alias)
        # Raw deletes: the speakers' history signal would write a record for each.
        generated._raw_delete(connection.alias)
    else:
        Article.objects.all().delete()
        Statement.objects.all().delete()
        generated.delete()
    Outlet.objects.filter(domain__endswith=OUTLET_DOMAIN).delete()


# Bulk-load tuning (PostgreSQL) -------------------------------------------------------


def _set_aside(tables: list[str]) -> tuple[list[str], list[str]]:
    """Drop the tables' secondary indexes and foreign keys; return the SQL that rebuilds them.

    Indexes that back a constraint (primary keys, unique) stay: they are what
    the load must respect as it goes. Rebuilding a foreign key checks every row.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        foreign = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table, name, _ in foreign:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    rebuild_indexes = [sql for _, sql in indexes]
    rebuild_keys = [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {sql}' for table, name, sql in foreign]
    return rebuild_indexes, rebuild_keys


def _run(statements: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _next_ids() -> dict[str, int]:
    """The largest id of each table we add to: new rows are numbered after it."""
    def top(model):
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {"speaker": top(Speaker), "outlet": top(Outlet), "article": top(Article),
            "statement": top(Statement), "appearance": top(Appearance)}


def _sequences_reset(models: Iterable[type[Model]]) -> None:
    """After rows with explicit ids, the id sequences continue past them (PostgreSQL)."""
    from django.core.management.color import no_style

    if connection.vendor == "postgresql":
        _run(connection.ops.sequence_reset_sql(no_style(), list(models)))


def _counters_fill() -> None:
    """Recount what later articles changed: the sources of statements reported again, and the
    statements each speaker's timeline shows (quotes.services.counters keeps them so after).

    Articles' counts and the links' said_on and shown were written with the rows.
    """
    appearance, link = Appearance._meta.db_table, StatementSpeaker._meta.db_table
    statement, speaker = Statement._meta.db_table, Speaker._meta.db_table
    _run([
        f"UPDATE {statement} SET source_count = c.n FROM (SELECT statement_id, "  # noqa: S608
        f"count(DISTINCT article_id) AS n FROM {appearance} GROUP BY statement_id "
        f"HAVING count(DISTINCT article_id) > 1) c WHERE c.statement_id = {statement}.id",
        f"UPDATE {speaker} SET statement_count = c.n FROM (SELECT speaker_id, "  # noqa: S608
        f"count(DISTINCT statement_id) AS n FROM {link} WHERE shown GROUP BY speaker_id) c "
        f"WHERE c.speaker_id = {speaker}.id",
    ])
    # The per-month counts (SpeakerMonth) the timeline's chart and the home page read.
    speaker_months_refresh(speaker_ids=Speaker.objects.filter(description__startswith=SPEAKER_MARK)
                           .values_list("pk", flat=True))


def corpus_generate(*, shape: CorpusShape, seed: int, replace: bool = False,
                    progress=lambda message: None) -> None:
    """Build the corpus ``shape`` describes in the default database, in one transaction.

    Raises CorpusRefused (nothing written) when corpus_check refuses.
    """
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgres:
            # Checked as each row goes in: a deferred check would block setting the keys aside.
            _run(["SET CONSTRAINTS ALL IMMEDIATE"])
        corpus_check(replace=replace)
        if replace:
            corpus_delete()
        through = StatementSpeaker
        rebuild: tuple[list[str], list[str]] = ([], [])
        if postgres:
            _run(["SET LOCAL maintenance_work_mem = '512MB'"])
            rebuild = _set_aside(_tables(Appearance, Statement, through, Article))
        generator = _Generator(shape, seed, _next_ids())
        _write(Speaker, _SPEAKER_COLS, generator.speaker_rows())
        _write(SpeakerAlias, _ALIAS_COLS, generator.alias_rows())
        _write(Role, _ROLE_COLS, generator.role_rows())
        _write(Outlet, _OUTLET_COLS, generator.outlet_rows())
        for n, batch in enumerate(generator.batches(), start=1):
            _write_batch(batch)
            if n % 10 == 0:
                appearances = generator.appearance_id - generator.ids["appearance"]
                progress(f"{generator.made} statements, {appearances} appearances")
        progress("rebuilding indexes and foreign keys")
        _run(rebuild[0])
        _run(rebuild[1])
        _counters_fill()
        _sequences_reset([Speaker, SpeakerAlias, Role, Outlet, Article, Statement, through, Appearance])
    if postgres:
        # VACUUM (outside a transaction only) clears what the recount left behind; both refresh
        # the planner's statistics, without which the first requests plan for empty tables.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        progress(command.lower())
        _run([f"{command} {t}" for t in _tables(Speaker, Outlet, Article, Statement, through, Appearance)])
