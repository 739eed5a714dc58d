"""API serializers: they validate input and shape output, never orchestrate.

Read serializers expect the querysets of quotes.selectors (annotations such as
``statement_count`` and the prefetched relations), so rendering a page costs a
fixed number of queries. Write serializers check a request's shape; the
service they feed (quotes.services) enforces the rules.

Example: ``StatementEditSerializer(data={"kind": "direct"}, partial=True).is_valid()`` is True.
"""

from __future__ import annotations

from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings

from quotes import selectors
from quotes.models import (
    Appearance,
    Article,
    DuplicateCandidate,
    Feed,
    Outlet,
    Role,
    Speaker,
    SpeakerAlias,
    Statement,
)


class _SentAsIs:
    """A form field sent empty is what was sent, as in JSON: DRF reads an HTML form's "" as
    "not given" (or null), so an empty title, date or outlet went through where the schema says 400."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)


class StrictCharField(_SentAsIs, serializers.CharField):
    """Text in a request: a JSON string only. DRF's CharField turns ``0`` or ``true`` into "0" and
    "True", accepting what the schema (``type: string``) says is invalid; here that is a 400."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDateTimeField(_SentAsIs, serializers.DateTimeField):
    pass


class StrictSlugRelatedField(_SentAsIs, serializers.SlugRelatedField):
    """A name that must exist; "" is refused (DRF takes it as null), as the schema's minLength says."""

    def run_validation(self, data=empty):
        if data == "":
            raise serializers.ValidationError("This field may not be blank: leave it out, or send null.")
        return super().run_validation(data)


class ErrorSerializer(serializers.Serializer):
    """Every 4xx body (documentation only): a message, a stable code, maybe field errors."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(required=False, help_text="Field errors, by field name.")


class DuplicateArticleErrorSerializer(ErrorSerializer):
    article_id = serializers.IntegerField(required=False, help_text="The article already stored.")


# Speakers ----------------------------------------------------------------------------------------


class SpeakerAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpeakerAlias
        fields = ["name", "kind", "language", "valid_from", "valid_to"]


class RoleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["title", "organization", "start", "end"]


class SpeakerSerializer(serializers.ModelSerializer):
    """A speaker, from selectors.speaker_list(); ``statement_count`` is what their timeline shows."""

    aliases = SpeakerAliasSerializer(many=True, read_only=True)
    roles = RoleSerializer(many=True, read_only=True)
    statement_count = serializers.IntegerField(read_only=True)
    timeline_url = serializers.SerializerMethodField(help_text="The speaker's public timeline page.")

    class Meta:
        model = Speaker
        fields = [
            "name", "slug", "description", "wikidata_qid", "is_organization", "reviewed",
            "aliases", "roles", "statement_count", "timeline_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_timeline_url(self, speaker: Speaker) -> str:
        path = reverse("quotes:speaker-timeline", kwargs={"slug": speaker.slug})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# Statements --------------------------------------------------------------------------------------


class StatementSpeakerSerializer(serializers.ModelSerializer):
    """A speaker of a statement, with the office they held on the day it was said.

    One instance serves every statement of a page: ``represent(speaker, day=...)``
    (building a serializer per statement, fields and all, was a third of a list's time).
    """

    role = serializers.SerializerMethodField()
    _day = None  # the statement's date, set by represent()

    class Meta:
        model = Speaker
        fields = ["slug", "name", "role"]

    def represent(self, speaker: Speaker, *, day) -> dict:
        """The speaker as shown beside a statement said on ``day`` (None: unknown, no role)."""
        self._day = day
        return self.to_representation(speaker)

    @extend_schema_field(RoleSerializer(allow_null=True))
    def get_role(self, speaker: Speaker) -> dict | None:
        role = selectors.role_on(speaker=speaker, day=self._day)
        return self._role.to_representation(role) if role else None

    @cached_property
    def _role(self) -> RoleSerializer:
        return RoleSerializer(context=self.context)


class AppearanceArticleSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name", default=None, allow_null=True, read_only=True)

    class Meta:
        model = Article
        fields = ["id", "title", "url", "outlet", "published_at", "published_known"]
        extra_kwargs = {"published_known": {
            "help_text": "False when the publication date was not found: published_at is then when the "
                         "article came in, not when it was published.",
        }}


class AppearanceSerializer(serializers.ModelSerializer):
    """Where a statement was reported: offsets into the article text, cue, speaker as written.

    The id is what a reviewer names to split appearances off a statement.
    """

    article = AppearanceArticleSerializer(read_only=True)

    class Meta:
        model = Appearance
        fields = [
            "id", "article", "speaker_as_written", "cue", "start", "end", "source_start", "source_end",
            "cue_start", "cue_end", "context", "said_on", "said_on_precision", "said_on_method",
            "date_evidence", "reported_via", "kind", "confidence", "pieces", "extractor_version",
        ]


class StatementListSerializer(serializers.ListSerializer):
    """A list of statements: model instances as DRF does, or the rows of selectors.statement_rows().

    The rows (plain dicts, completed by selectors.statement_rows_related()) are the API
    lists' read-only path: shaped here into exactly what StatementSerializer makes of the
    same statement, without a model instance or a nested serializer per field (BENCHMARKS.md,
    "After the third round"). The schema is StatementSerializer's either way.
    """

    def to_representation(self, data):
        rows = data.all() if hasattr(data, "all") else data
        if rows and isinstance(rows[0], dict):
            return _StatementRows().represent(rows)
        return super().to_representation(rows)


class _StatementRows:
    """StatementSerializer's output built from statement rows, dates and times as DRF's fields write them."""

    _date = serializers.DateField().to_representation
    _float = serializers.FloatField().to_representation
    _datetime_field = serializers.DateTimeField()

    def __init__(self) -> None:
        # DRF's DateTimeField.to_representation (ISO 8601 in the current time zone, "Z" for UTC)
        # once per page rather than per value: a page writes ~80 of them.
        field = self._datetime_field
        self._zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
        self._iso = getattr(field, "format", api_settings.DATETIME_FORMAT) in (None, ISO_8601)

    def _datetime(self, value) -> str | None:
        if value is None or not self._iso or self._zone is None or timezone.is_naive(value):
            return None if value is None else self._datetime_field.to_representation(value)
        text = value.astimezone(self._zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def _day(self, value) -> str | None:
        return None if value is None else self._date(value)

    def _role(self, speaker: selectors.SpeakerRow, day) -> dict | None:
        role = selectors.role_in(speaker.roles, day=day)
        if role is None:
            return None
        return {"title": role.title, "organization": role.organization, "start": self._day(role.start),
                "end": self._day(role.end)}

    def _source(self, row: dict) -> dict:
        day = self._day
        return {
            "id": row["id"],
            "article": {
                "id": row["article_id"], "title": row["article__title"], "url": row["article__url"],
                "outlet": row["article__outlet__name"],
                "published_at": self._datetime(row["article__published_at"]),
                "published_known": row["article__published_known"],
            },
            "speaker_as_written": row["speaker_as_written"], "cue": row["cue"], "start": row["start"],
            "end": row["end"], "source_start": row["source_start"], "source_end": row["source_end"],
            "cue_start": row["cue_start"], "cue_end": row["cue_end"], "context": row["context"],
            "said_on": day(row["said_on"]), "said_on_precision": row["said_on_precision"],
            "said_on_method": row["said_on_method"], "date_evidence": row["date_evidence"],
            "reported_via": row["reported_via"], "kind": row["kind"],
            "confidence": None if row["confidence"] is None else self._float(row["confidence"]),
            "pieces": row["pieces"], "extractor_version": row["extractor_version"],
        }

    def represent(self, rows: list[dict]) -> list[dict]:
        shown = []
        for row in rows:
            said_on = row["said_on"]
            shown.append({
                "id": row["id"], "text": row["text"], "kind": row["kind"], "said_on": self._day(said_on),
                "said_on_precision": row["said_on_precision"], "said_on_method": row["said_on_method"],
                "date_conflict": row["date_conflict"],
                "review_status": row["review_status"], "confidence": self._float(row["confidence"]),
                "source_count": row["source_count"],
                "first_reported": self._datetime(row["first_reported_at"]), "part_of": row["part_of"],
                "speakers": [
                    {"slug": speaker.slug, "name": speaker.name, "role": self._role(speaker, said_on)}
                    for speaker in row["speakers"]
                ],
                "appearances": [self._source(source) for source in row["appearances"]],
            })
        return shown


class StatementSerializer(serializers.ModelSerializer):
    """A statement, from selectors.statement_list() (source count, first report, prefetches)."""

    source_count = serializers.IntegerField(read_only=True)
    first_reported = serializers.DateTimeField(read_only=True, allow_null=True)
    speakers = serializers.SerializerMethodField()
    appearances = AppearanceSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id", "text", "kind", "said_on", "said_on_precision", "said_on_method", "date_conflict",
            "review_status",
            "confidence", "source_count", "first_reported", "part_of", "speakers", "appearances",
        ]
        read_only_fields = fields
        list_serializer_class = StatementListSerializer

    @extend_schema_field(StatementSpeakerSerializer(many=True))
    def get_speakers(self, statement: Statement) -> list[dict]:
        represent = self._speaker.represent
        return [represent(speaker, day=statement.said_on) for speaker in statement.speakers.all()]

    @cached_property
    def _speaker(self) -> StatementSpeakerSerializer:
        # A list's rows share this serializer (DRF's many=True reuses one child): one speaker
        # serializer for the page too.
        return StatementSpeakerSerializer(context=self.context)


class StatementEditSerializer(serializers.Serializer):
    """A reviewer's correction (PATCH): any of text, kind, date and speakers.

    A date sent without a precision is taken to the day (``null``: unknown);
    a precision sent alone keeps the current date.
    """

    text = StrictCharField(max_length=20000)
    kind = serializers.ChoiceField(choices=Statement.Kind.choices)
    said_on = serializers.DateField(allow_null=True)
    said_on_precision = serializers.ChoiceField(choices=Statement.Precision.choices)
    speakers = serializers.ListField(
        child=serializers.SlugRelatedField(slug_field="slug", queryset=selectors.speaker_refs()),
        max_length=50, help_text="Speaker slugs; replaces the statement's speakers.",
    )

    def validate(self, attrs: dict) -> dict:
        # The date rule (a date alone is to the day, a precision alone keeps the date) is the
        # service's: quotes.services.dates.said_on_check.
        if not attrs:
            raise serializers.ValidationError(f"Send at least one of: {', '.join(self.fields)}.")
        return attrs


# Review: merge, split, duplicates ------------------------------------------------------------------


def _in_order(ids: list, found: dict, what: str) -> list:
    """The objects ``found`` for ``ids``, once each, in the order asked; a missing one is a 400."""
    ids = list(dict.fromkeys(ids))
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise serializers.ValidationError(f"No {what} {', '.join(missing)}.")
    return [found[i] for i in ids]


class StatementMergeSerializer(serializers.Serializer):
    """The statements to merge into the one in the URL (which keeps its text and kind)."""

    others = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=100,
        help_text="Ids of the statements to merge into this one; they are deleted.",
    )

    def validate_others(self, ids: list[int]) -> list[Statement]:
        return _in_order(ids, selectors.statements_in_bulk(ids=ids), "statement with id")


class StatementSplitSerializer(serializers.Serializer):
    """The appearances (some, not all, of the statement's) to move to a new statement."""

    appearance_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=1000,
        help_text="Ids of the statement's appearances (see its appearances[].id).",
    )


class SpeakerMergeSerializer(serializers.Serializer):
    """The speakers to merge into the one in the URL."""

    others = serializers.ListField(
        child=serializers.SlugField(max_length=200), max_length=100,
        help_text="Slugs of the speakers to merge into this one; they are deleted.",
    )

    def validate_others(self, slugs: list[str]) -> list[Speaker]:
        return _in_order(slugs, selectors.speakers_in_bulk(slugs=slugs), "speaker with slug")


class SpeakerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["slug", "name"]


class DuplicateStatementSerializer(serializers.ModelSerializer):
    """One side of a duplicate pair: enough to judge it without another request."""

    speakers = SpeakerRefSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = ["id", "text", "kind", "said_on", "said_on_precision", "review_status", "speakers"]
        read_only_fields = fields


class DuplicateCandidateSerializer(serializers.ModelSerializer):
    """Two statements that read alike, offered for review (speakers prefetched by the view)."""

    first = DuplicateStatementSerializer(read_only=True)
    second = DuplicateStatementSerializer(read_only=True)

    class Meta:
        model = DuplicateCandidate
        fields = ["id", "similarity", "status", "created_at", "first", "second"]
        read_only_fields = fields


# Articles ----------------------------------------------------------------------------------------


class ArticleSerializer(serializers.ModelSerializer):
    """An article, from selectors.article_list(); the list leaves the text out."""

    outlet = serializers.CharField(source="outlet.name", default=None, allow_null=True, read_only=True)
    statement_count = serializers.IntegerField(read_only=True)
    # Why the extraction did not finish, in short; the full error is for staff (admin, logs).
    extraction_error = serializers.ChoiceField(
        source="extraction_failure", choices=[("", ""), *Article.Failure.choices], read_only=True,
        help_text="Why the extraction failed, in short (empty when it did not); details are in the admin.",
    )
    published_known = serializers.BooleanField(
        read_only=True,
        help_text="False when the publication date was not found: published_at is then when the article was "
                  "submitted (it orders the lists), not when it was published.",
    )
    fetch_reason = serializers.ChoiceField(
        choices=[("", ""), *Article.FetchReason.choices], read_only=True,
        help_text="Why fetching the page failed, in short (empty when it did not or was not fetched).",
    )

    class Meta:
        model = Article
        fields = [
            "id", "title", "url", "outlet", "author", "published_at", "published_known", "extraction_status",
            "extraction_error", "extractor_version", "extracted_at", "statement_count",
            "source_url", "fetch_reason",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its text and the statements it reports (set by the view)."""

    statements = StatementSerializer(many=True, read_only=True, source="reported_statements")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text", "statements"]


class ArticleSubmitSerializer(serializers.Serializer):
    """A new article: the text as published and where and when it appeared; or its URL alone.

    With ``url`` alone the page is fetched by a worker (status ``fetching``), which finds the
    text, title, author, date and outlet; otherwise ``title``, ``text`` and ``published_at``.
    """

    title = StrictCharField(max_length=500, required=False)
    published_at = StrictDateTimeField(
        required=False, help_text="A date-time, or a date (taken as midnight UTC).",
    )
    url = serializers.URLField(max_length=1000, required=False, allow_null=True, allow_blank=True)
    outlet = StrictCharField(max_length=200, required=False, allow_blank=True)
    author = StrictCharField(max_length=300, required=False, allow_blank=True)

    # Whitespace is kept: offsets point into the text exactly as submitted. Empty, too long
    # or already stored is article_text_check's to say (quotes.services.articles).
    text = StrictCharField(trim_whitespace=False, allow_blank=True, required=False)

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("text") and attrs.get("url"):
            return {"url": attrs["url"]}  # fetched by URL: the page says the rest
        needed = ("title", "text", "published_at")
        missing = {name: ["This field is required."] for name in needed if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class FeedSerializer(serializers.ModelSerializer):
    """A feed polled for new articles, with the state of its polling (read-only)."""

    outlet = StrictSlugRelatedField(
        slug_field="name", queryset=Outlet.objects.all(), required=False, allow_null=True,
    )

    class Meta:
        model = Feed
        fields = [
            "id", "url", "title", "outlet", "active", "poll_interval", "next_poll_at", "last_polled_at",
            "last_new_entry_at", "last_error", "consecutive_failures", "created_at",
        ]
        read_only_fields = ["next_poll_at", "created_at"]
        extra_kwargs = {"url": {"validators": []}}  # a stored URL is feed_save's Conflict (409)

    def validate(self, attrs: dict) -> dict:
        if self.partial and not attrs:  # a change that names nothing (or nothing readable) is a mistake
            writable = [name for name, field in self.fields.items() if not field.read_only]
            raise serializers.ValidationError(f"Send at least one of: {', '.join(writable)}.")
        return attrs


class ArticleAcceptedSerializer(serializers.Serializer):
    """The answer to a submission: where to poll for the extraction's progress."""

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The article's API URL; poll it until extraction is done.")
    extraction_status = serializers.ChoiceField(choices=Article.Status.choices)
