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
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quotes import selectors
from quotes.models import Appearance, Article, DuplicateCandidate, Role, Speaker, SpeakerAlias, Statement


class StrictCharField(serializers.CharField):
    """Text in a request: a JSON string only. DRF's CharField turns ``0`` or ``true`` into "0" and
    "True", accepting what the schema (``type: string``) says is invalid; here that is a 400."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


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
        fields = ["id", "title", "url", "outlet", "published_at"]


class AppearanceSerializer(serializers.ModelSerializer):
    """Where a statement was reported: offsets into the article text, cue, speaker as written.

    The id is what a reviewer names to split appearances off a statement.
    """

    article = AppearanceArticleSerializer(read_only=True)

    class Meta:
        model = Appearance
        fields = [
            "id", "article", "speaker_as_written", "cue", "start", "end", "source_start", "source_end",
            "cue_start", "cue_end", "context", "said_on", "said_on_precision", "extractor_version",
        ]


class StatementSerializer(serializers.ModelSerializer):
    """A statement, from selectors.statement_list() (source count, first report, prefetches)."""

    source_count = serializers.IntegerField(read_only=True)
    first_reported = serializers.DateTimeField(read_only=True, allow_null=True)
    speakers = serializers.SerializerMethodField()
    appearances = AppearanceSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id", "text", "kind", "said_on", "said_on_precision", "date_conflict", "review_status",
            "confidence", "source_count", "first_reported", "part_of", "speakers", "appearances",
        ]
        read_only_fields = fields

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

    class Meta:
        model = Article
        fields = [
            "id", "title", "url", "outlet", "author", "published_at", "extraction_status",
            "extraction_error", "extractor_version", "extracted_at", "statement_count",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its text and the statements it reports (set by the view)."""

    statements = StatementSerializer(many=True, read_only=True, source="reported_statements")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text", "statements"]


class ArticleSubmitSerializer(serializers.Serializer):
    """A new article: the text as published and where and when it appeared."""

    title = StrictCharField(max_length=500)
    published_at = serializers.DateTimeField(help_text="A date-time, or a date (taken as midnight UTC).")
    url = serializers.URLField(max_length=1000, required=False, allow_null=True, allow_blank=True)
    outlet = StrictCharField(max_length=200, required=False, allow_blank=True)
    author = StrictCharField(max_length=300, required=False, allow_blank=True)

    # Whitespace is kept: offsets point into the text exactly as submitted. Empty, too long
    # or already stored is article_text_check's to say (quotes.services.articles).
    text = StrictCharField(trim_whitespace=False, allow_blank=True)


class ArticleAcceptedSerializer(serializers.Serializer):
    """The answer to a submission: where to poll for the extraction's progress."""

    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The article's API URL; poll it until extraction is done.")
    extraction_status = serializers.ChoiceField(choices=Article.Status.choices)
