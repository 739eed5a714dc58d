"""QuoteTracker's data: speakers, outlets, articles, statements and where they appear.

The database holds the invariants (unique and check constraints, indexes on
what is filtered); workflows live in quotes.services, never in save().
NULL means "unknown" throughout: a NULL date is a date nobody could establish.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history import register
from simple_history.models import HistoricalRecords


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Speaker(Timestamped):
    """A person or organisation that says things; one record per real speaker."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.CharField(max_length=300, blank=True)
    wikidata_qid = models.CharField(
        "Wikidata QID", max_length=20, null=True, blank=True,
        help_text="Q-number such as Q22686; empty when not established.",
    )
    is_organization = models.BooleanField(default=False)
    # Speakers created by the machine from an unknown name wait for a human.
    reviewed = models.BooleanField(default=False)
    # Statements the timeline shows by default (StatementSpeaker.shown), kept by the
    # services (quotes.services.counters): the speaker list never counts per request.
    statement_count = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["statement_count"])

    class Meta:
        ordering = ["name"]
        # The speaker lists are paged by name (quotes.keyset).
        indexes = [
            models.Index(fields=["name", "id"], name="speaker_by_name"),
            # A printed name is matched case-blind (quotes.selectors.speaker_match).
            models.Index(Lower("name"), name="speaker_name_lower"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_qid"], condition=Q(wikidata_qid__isnull=False),
                name="speaker_qid_unique",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_qid__isnull=True) | Q(wikidata_qid__regex=r"^Q[1-9][0-9]*$"),
                name="speaker_qid_format",
            ),
            # Two workers meeting the same unknown name create one speaker, not two.
            models.UniqueConstraint(
                Lower("name"), condition=Q(reviewed=False), name="speaker_unreviewed_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """A way articles write a speaker: "Kim", "the North Korean leader".

    Role phrases are valid only between ``valid_from`` and ``valid_to`` (NULL:
    open-ended), since "Japan's prime minister" names different people over time.
    """

    class Kind(models.TextChoices):
        FULL_NAME = "full_name", "full name"
        SHORT_NAME = "short_name", "short name"
        ROLE_PHRASE = "role_phrase", "role phrase"
        VARIANT = "variant", "spelling variant"

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    # Lower-cased, punctuation-folded form that lookups match on.
    normalized = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.VARIANT)
    language = models.CharField(max_length=10, default="en")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["speaker", "name"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "normalized", "language"], name="alias_unique_per_speaker",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="alias_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """An office a speaker held: title, organisation or country, start and end (NULL end: in office)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    organization = models.CharField(max_length=200, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    wikidata_position = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["speaker", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="role_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organization}" if self.organization else self.title


class Outlet(Timestamped):
    """A publisher of articles."""

    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=253, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Feed(Timestamped):
    """An RSS or Atom feed polled for new articles (quotes.services.feeds).

    A failing feed waits ``poll_interval`` doubled for each consecutive failure, up to a
    day (``next_poll_at``); ``last_error`` says why, for the admin.
    """

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="feeds",
    )
    active = models.BooleanField(default=True)
    poll_interval = models.PositiveIntegerField(
        default=900, help_text="Seconds between two polls while the feed answers.",
    )
    # Sent back on the next poll (a conditional GET): an unchanged feed answers 304.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, help_text="Empty: at the next round.")
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_new_entry_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["url"]
        indexes = [
            # The due feeds, read every round without walking the inactive ones.
            models.Index(fields=["next_poll_at"], condition=Q(active=True), name="feed_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(poll_interval__gte=60), name="feed_poll_interval_min"),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class Article(Timestamped):
    """A source text, as submitted or fetched, with the state of its extraction.

    An article submitted by URL (or found in a feed) is ``fetching`` until a worker has
    fetched its page; ``url`` is then the page's canonical URL, normalised (its identity),
    ``source_url`` the URL it was given by, normalised. ``content_hash`` is NULL while
    there is no text yet.
    """

    class Status(models.TextChoices):
        FETCHING = "fetching"
        PENDING = "pending"
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    class FetchReason(models.TextChoices):
        """Why fetching the page failed (quotes.fetching.Reason)."""

        BLOCKED = "blocked", "blocked address"
        HTTP_STATUS = "http_status", "HTTP status"
        NOT_HTML = "not_html", "not an HTML page"
        TOO_LARGE = "too_large", "too large"
        TIMEOUT = "timeout", "timed out"
        NO_TEXT = "no_text", "no article text found"
        UNREACHABLE = "unreachable", "server unreachable"
        TLS = "tls", "no trusted TLS connection"
        ROBOTS = "robots", "disallowed by robots.txt"
        DUPLICATE = "duplicate", "already stored"

    class Failure(models.TextChoices):
        """Why the last extraction did not finish, in short: what the public API shows."""

        INVALID_TEXT = "invalid_text"  # the engine refused the text
        TIMED_OUT = "timed_out"  # past the worker's time limit
        WORKER_LOST = "worker_lost"  # left running by a stopped worker, too many times in a row
        ENGINE_UNAVAILABLE = "engine_unavailable"  # the worker cannot run the engine (pending, retried)
        ERROR = "error"  # anything else: the full error is in extraction_error (admin, logs)

    url = models.URLField(max_length=1000, null=True, blank=True, unique=True)
    source_url = models.URLField(max_length=1000, null=True, blank=True, db_index=True, editable=False)
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", editable=False,
    )
    fetch_reason = models.CharField(max_length=20, choices=FetchReason.choices, blank=True, editable=False)
    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles",
    )
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(db_index=True)
    # False when no publication date was found (a fetched page, or a feed entry, with none):
    # published_at is then the time the article was submitted, which orders the lists and no
    # more, and relative dates in its text ("on Saturday") are left unresolved.
    published_known = models.BooleanField(default=True, editable=False)
    text = models.TextField(blank=True)
    # SHA-256 of the text: the same text is one article. NULL while the page is being fetched.
    content_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    extraction_status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True,
    )
    extraction_error = models.TextField(blank=True)  # the full error: staff only (admin, logs)
    extraction_failure = models.CharField(max_length=20, choices=Failure.choices, blank=True)
    # Extractions in a row that hit the time limit: the sweep retries a few (with backoff), then stops.
    extraction_timeouts = models.PositiveSmallIntegerField(default=0)
    # Times in a row the sweep found it left running (its worker stopped) and sent it again: capped too.
    extraction_restarts = models.PositiveSmallIntegerField(default=0)
    extractor_version = models.CharField(max_length=100, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Distinct statements it reports, kept by the services (quotes.services.counters).
    statement_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_newest_first"),
            # ?extraction_status=failed, newest first, without walking every done article.
            models.Index(
                fields=["extraction_status", "-published_at", "-id"], name="article_status_newest_first",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StatementSpeaker(models.Model):
    """A speaker of a statement, with what that speaker's timeline is read by.

    ``said_on`` and ``shown`` copy the statement's date and whether the timeline
    shows it by default (not rejected; verified or at least TIMELINE_MIN_CONFIDENCE
    sure), so a speaker's timeline is one range scan of the index below in date
    order, however many statements they have. The services keep both equal to the
    statement's (quotes.services.counters); ``manage.py refresh_counters`` repairs them.
    On PostgreSQL the table also holds ``search_vector``, the statement's search document,
    which triggers keep equal to it (migration 0014; not a model field, like the statement's):
    a word on a timeline is looked up among that speaker's links (quotes.selectors.statement_search).
    """

    # No index of their own: unique_together leads with the statement, the timeline index with
    # the speaker (each link stored writes the indexes it has: only those that are read).
    statement = models.ForeignKey(
        "Statement", on_delete=models.CASCADE, related_name="speaker_links", db_index=False,
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="statement_links", db_index=False,
    )
    said_on = models.DateField(null=True, blank=True)
    shown = models.BooleanField(default=True)

    class Meta:
        # The table Django made for the plain many-to-many field, kept as it was.
        db_table = "quotes_statement_speakers"
        unique_together = [("statement", "speaker")]
        indexes = [
            models.Index(fields=["speaker", "said_on", "statement"], name="statement_speaker_timeline"),
            # The links a timeline hides: counted without reading the speaker's others, and without
            # the link rows themselves (an index-only scan: the statement ids are in the index).
            models.Index(fields=["speaker", "statement"], condition=Q(shown=False),
                         name="statement_speaker_hidden_ids"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} by {self.speaker_id}"


class SpeakerMonth(models.Model):
    """How many statements a speaker's timeline shows by default in one month (of ``said_on``).

    Kept by the services with the other counters (quotes.services.counters), so the
    timeline's month chart and "most quoted this month" read a few small rows instead
    of counting a leader's 150,000 statements; ``manage.py refresh_counters`` repairs it.
    Undated statements have no month; a month with none has no row.
    """

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month.")
    statement_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["speaker", "month"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "month"], name="speaker_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="speaker_month_first_day"),
            models.CheckConstraint(condition=Q(statement_count__gt=0), name="speaker_month_not_empty"),
        ]
        # The most quoted in a month: one range of this index, most first.
        indexes = [models.Index(fields=["month", "-statement_count", "speaker"], name="speaker_month_most")]

    def __str__(self) -> str:
        return f"{self.speaker_id} {self.month:%Y-%m}: {self.statement_count}"


class Statement(Timestamped):
    """Something a speaker said, once, however many articles report it."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "direct quote"
        PARTIAL = "partial", "partial quote"
        INDIRECT = "indirect", "indirect speech"

    class Precision(models.TextChoices):
        DAY = "day"
        WEEK = "week"
        MONTH = "month"
        YEAR = "year"
        UNKNOWN = "unknown"

    class DateMethod(models.TextChoices):
        EXPLICIT = "explicit", "explicit date in the text"
        RELATIVE = "relative", "relative to publication"
        CONTEXT = "context", "carried over from context"
        MANUAL = "manual", "set by a reviewer"
        UNKNOWN = "unknown"

    class Review(models.TextChoices):
        EXTRACTED = "extracted"
        VERIFIED = "verified"
        REJECTED = "rejected"

    text = models.TextField()
    # Case-, punctuation- and quote-mark-folded text: what duplicates are matched on.
    normalized_text = models.TextField(editable=False, default="")
    # Hash of normalized_text plus the speakers: one
    # statement per fingerprint, settled by the unique constraint.
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)  # indexed in Meta (no LIKE index)
    speakers = models.ManyToManyField(
        Speaker, related_name="statements", blank=True, through="quotes.StatementSpeaker",
    )
    said_on = models.DateField(null=True, blank=True)  # indexed with the id (Meta): the lists' order
    said_on_precision = models.CharField(
        max_length=10, choices=Precision.choices, default=Precision.UNKNOWN,
    )
    said_on_method = models.CharField(
        max_length=10, choices=DateMethod.choices, default=DateMethod.UNKNOWN,
    )
    # True when the articles reporting it give different dates.
    date_conflict = models.BooleanField(default=False)
    first_reported_at = models.DateTimeField(null=True, blank=True)
    # Distinct articles reporting it, kept by the services (quotes.services.counters).
    source_count = models.PositiveIntegerField(default=0, editable=False)
    review_status = models.CharField(
        max_length=10, choices=Review.choices, default=Review.EXTRACTED,
    )  # indexed with said_on (Meta)
    # A human changed text, speakers, date or kind: re-extraction leaves it alone.
    edited = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Derived from its appearances at every extraction (the best report's), 1 once verified.
    confidence = models.FloatField(default=0.5)
    # The folded words inside quotation marks (a partial quote's fragment, a broken quote's
    # pieces), "" for indirect speech: how a fragment finds the longer quote holding it.
    quoted_text = models.TextField(editable=False, default="", blank=True)
    # A partial quote lying inside a longer quote by the same speaker.
    part_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="parts",
    )
    # history: registered at the end of this module (see there).

    class Meta:
        ordering = ["said_on", "id"]
        indexes = [
            models.Index(fields=["review_status", "said_on"]),
            models.Index(fields=["said_on", "id"], name="statement_said_on_id"),
            models.Index(fields=["kind"], name="statement_kind"),
            models.Index(fields=["first_reported_at", "id"], name="statement_first_reported_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="statement_confidence_range",
            ),
            models.CheckConstraint(
                condition=Q(said_on__isnull=True, said_on_precision="unknown")
                | (Q(said_on__isnull=False) & ~Q(said_on_precision="unknown")),
                name="statement_date_precision",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_locked(self) -> bool:
        """A human verified, rejected or edited it: the machine must not change it."""
        return self.edited or self.review_status != self.Review.EXTRACTED


class Appearance(models.Model):
    """Where a statement appears in an article, with its provenance."""

    class Origin(models.TextChoices):
        EXTRACTED = "extracted"
        MANUAL = "manual"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="appearances")
    # No index of its own: the unique span (article, start, end) leads with it.
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="appearances", db_index=False)
    start = models.PositiveIntegerField(help_text="Offset of the content in the article text.")
    end = models.PositiveIntegerField()
    speaker_as_written = models.CharField(max_length=300, blank=True)
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    cue = models.CharField(max_length=100, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    context = models.TextField(blank=True, help_text="The sentence around the statement.")
    # The date this article gives, before reconciliation across articles.
    said_on = models.DateField(null=True, blank=True)
    said_on_precision = models.CharField(
        max_length=10, choices=Statement.Precision.choices, default=Statement.Precision.UNKNOWN,
    )
    date_evidence = models.CharField(max_length=200, blank=True)
    said_on_method = models.CharField(
        max_length=10, choices=Statement.DateMethod.choices, default=Statement.DateMethod.UNKNOWN,
    )
    # Who relayed the words when the source is someone else ("Xinhua", "state television").
    reported_via = models.CharField(max_length=200, blank=True)
    # The extractor's kind and confidence for this report (empty and NULL for a reviewer's).
    kind = models.CharField(max_length=10, choices=Statement.Kind.choices, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    # [start, end] of each quoted piece of the content: a quote broken by its attribution
    # keeps both pieces' offsets, while the statement shows their words joined.
    pieces = models.JSONField(default=list, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.EXTRACTED)
    extractor_version = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Several known people could be meant ("Kim"): kept for a reviewer.
    speaker_candidates = models.ManyToManyField(Speaker, blank=True, related_name="+")

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="appearance_unique_span"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appearance_span_order"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | (Q(confidence__gte=0) & Q(confidence__lte=1)),
                name="appearance_confidence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.start}-{self.end}"


class DuplicateCandidate(models.Model):
    """Two statements that read alike, offered to a reviewer to merge."""

    class Status(models.TextChoices):
        OPEN = "open"
        MERGED = "merged"
        DISMISSED = "dismissed"

    first = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-similarity"]
        # The review queue: one status, most similar first (read backwards).
        indexes = [models.Index(fields=["status", "similarity", "id"], name="duplicate_by_similarity")]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_pair_order"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.similarity:.2f})"


# Statement's history records its speakers, through StatementSpeaker: registered once both
# models exist (a through model is resolved only after the class that names it is made).
# Its history is read by statement (the id) and by date: the other columns' indexes (which
# simple-history copies from the model, and makes for a unique or related field) are not kept.
register(
    Statement, m2m_fields=["speakers"], excluded_fields=["source_count"],
    no_db_index=["fingerprint", "kind", "review_status", "said_on", "part_of", "reviewed_by"],
)

