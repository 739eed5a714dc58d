"""API views: viewsets that read through quotes.selectors and write through quotes.services.

Anyone may read; every write needs an active staff user with the Django model permission
the admin asks for the same act (``action_permissions``, quotes.api.permissions): without
credentials a 401 (WWW-Authenticate: Token), signed in without that permission a 403.
Lists are paged by cursor (quotes.api.pagination): each viewset's ``keyset_order``
names the order and the index it is read from. Errors are JSON, shaped by
quotes.api.errors.exception_handler.

    GET  /api/statements/?speaker=<slug>&said_after=2025-01-01&ordering=-said_on
    POST /api/articles/        {"title", "text", "published_at", ...}  -> 202, poll "url"

Review (staff; quotes.services.review): merge and split statements, merge
speakers, and the queue of near-duplicate pairs (reads staff-only too).

    POST /api/statements/7/merge/   {"others": [8, 9]}          -> 200, statement 7
    POST /api/statements/7/split/   {"appearance_ids": [21]}    -> 201, the new statement
    POST /api/speakers/kim-jong-un/merge/  {"others": ["kim-jong-un-2"]}  -> 200
    GET  /api/duplicates/?status=open   POST /api/duplicates/3/merge/ | /dismiss/
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from quotes.api import export as exports
from quotes.api.filters import (
    ArticleFilter,
    CappedSearchFilter,
    DuplicateCandidateFilter,
    FilterBackend,
    StatementFilter,
)
from quotes.api.pagination import StandardPagination
from quotes.api.permissions import StaffWithModelPermissions, StaffWithModelPermissionsOrReadOnly
from quotes.api.serializers import (
    ArticleAcceptedSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleSubmitSerializer,
    DuplicateArticleErrorSerializer,
    DuplicateCandidateSerializer,
    ErrorSerializer,
    FeedSerializer,
    SpeakerMergeSerializer,
    SpeakerSerializer,
    StatementEditSerializer,
    StatementMergeSerializer,
    StatementSerializer,
    StatementSplitSerializer,
)
from quotes.keyset import Order, Walk
from quotes.models import Article, DuplicateCandidate, Statement
from quotes.selectors import (
    ARTICLES_NEWEST_FIRST,
    DUPLICATES_MOST_SIMILAR,
    FEEDS_BY_URL,
    SPEAKER_STATEMENTS_BY_DATE,
    SPEAKER_STATEMENTS_BY_DATE_DESC,
    SPEAKERS_BY_NAME,
    STATEMENTS_BY_DATE,
    STATEMENTS_BY_DATE_DESC,
    STATEMENTS_BY_FIRST_REPORT,
    STATEMENTS_BY_FIRST_REPORT_DESC,
    STATEMENTS_BY_RANK,
    article_list,
    article_statements,
    duplicate_candidate_list,
    feed_list,
    speaker_list,
    speaker_walk,
    statement_list,
    statement_rows,
    statement_rows_related,
    statements_top_ranked,
)
from quotes.services.articles import article_extraction_request, article_submit, article_submit_url
from quotes.services.feeds import feed_add, feed_delete, feed_save
from quotes.services.review import (
    duplicate_candidate_resolve,
    speakers_merge,
    statement_split,
    statements_merge,
)
from quotes.services.statements import statement_edit, statements_reject, statements_verify

# Who may not: no credentials (or a bad token) is a 401 with "WWW-Authenticate: Token",
# a signed-in user who is not staff, or lacks the model permission, a 403.
STAFF_ONLY = {
    401: OpenApiResponse(ErrorSerializer, description="No credentials, or a bad token."),
    403: OpenApiResponse(ErrorSerializer, description="Not an active staff user with the permission."),
}
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input."),
    **STAFF_ONLY,
    404: OpenApiResponse(ErrorSerializer, description="No such object."),
}
# Writes whose bodies hold lists (of ids, of slugs) read JSON alone, any other body is a 415:
# in a form body one item and a list of one item are the same field, so a form's
# "appearance_ids=21" could mean either.
JSON_ONLY = [JSONParser]
NOT_JSON = {415: OpenApiResponse(ErrorSerializer, description="The body is not application/json.")}
CONFLICT = OpenApiResponse(ErrorSerializer, description="The merge would clash with another record.")
RESOLVED = OpenApiResponse(ErrorSerializer, description="The pair is no longer open.")
# ?ordering= of the statement list: (without ?speaker=, with it: read from the speaker's links).
STATEMENT_ORDERS = {
    "said_on": (STATEMENTS_BY_DATE, SPEAKER_STATEMENTS_BY_DATE),
    "-said_on": (STATEMENTS_BY_DATE_DESC, SPEAKER_STATEMENTS_BY_DATE_DESC),
    "first_reported": (STATEMENTS_BY_FIRST_REPORT, STATEMENTS_BY_FIRST_REPORT),
    "-first_reported": (STATEMENTS_BY_FIRST_REPORT_DESC, STATEMENTS_BY_FIRST_REPORT_DESC),
}


class ApiViewSet(viewsets.GenericViewSet):
    """Base of every viewset: permissions and pagination said here, and a body size limit."""

    permission_classes = [StaffWithModelPermissionsOrReadOnly]
    action_permissions: dict[str, list[str]] = {}
    pagination_class = StandardPagination
    keyset_order_default: Order | None = None

    def keyset_order(self, queryset: QuerySet) -> Order:
        """The order a list is paged in (quotes.keyset): one an index is read in."""
        return self.keyset_order_default

    def keyset_walk(self, queryset: QuerySet) -> Walk | None:
        """The bounded walk a page is read with (quotes.keyset.Walk), if any: none by default."""
        return None

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if request.method not in SAFE_METHODS:
            self.check_body_size(request)

    @staticmethod
    def check_body_size(request: Request) -> None:
        """Refuse a body over DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads it.

        Django checks the limit only when ``request.body`` or form data is read;
        DRF's JSON parser reads the stream directly, so the check is made here
        (with Django's own exception, which the handler answers with a 413).
        """
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            raise RequestDataTooBig(f"The request body is larger than {limit} bytes.")


@extend_schema_view(
    list=extend_schema(summary="List speakers", description="Search by name or alias with ?search=."),
    retrieve=extend_schema(
        summary="A speaker, by slug", responses={200: SpeakerSerializer, 404: ERRORS[404]},
    ),
)
class SpeakerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Speakers with their aliases, roles and number of (non-rejected) statements."""

    serializer_class = SpeakerSerializer
    lookup_field = "slug"
    action_permissions = {"merge": ["quotes.change_speaker"]}
    filter_backends = [CappedSearchFilter]
    search_fields = ["name", "aliases__name"]
    keyset_order_default = SPEAKERS_BY_NAME

    def get_queryset(self) -> QuerySet:
        return speaker_list()

    @extend_schema(
        summary="Merge other speakers into this one (staff)",
        description="Their statements, aliases and roles move here and they are deleted; statements "
        "that end up with the same words and speakers become one. The speaker counts as reviewed.",
        request=SpeakerMergeSerializer,
        responses={200: SpeakerSerializer, **ERRORS, 409: CONFLICT, **NOT_JSON},
    )
    @action(detail=True, methods=["post"], parser_classes=JSON_ONLY)
    def merge(self, request: Request, slug=None) -> Response:
        speaker = self.get_object()
        serializer = SpeakerMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        speakers_merge(target=speaker, others=serializer.validated_data["others"], user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=speaker.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="List statements",
        description="Rejected statements are hidden unless review_status=rejected is asked for. "
        "Undated statements sort last. Pages by cursor: follow next and previous (?page=N is a 400). "
        "With q (or search) on PostgreSQL the results are best match first, among the "
        "500 newest statements that match every filter (with speaker, that speaker's 200 newest); "
        "ordering is then ignored. "
        "One speaker's statements in date order narrowed by kind, review_status, min_confidence (or "
        "words, where they are not ranked) are read a bounded part of the speaker's record at a time "
        "(SPEAKER_WALK_LIMIT statements): a page may then hold fewer results than page_size, even "
        "none, and still have a next link, which goes on from where the reading stopped. Follow next "
        "until it is null.",
        parameters=[OpenApiParameter(
            "ordering", str, enum=list(STATEMENT_ORDERS),
            description="Sort order (default said_on), ties by id in the same direction; "
            "undated statements (or never reported ones) come last either way.",
        )],
        responses={200: StatementSerializer(many=True), 400: ERRORS[400]},
    ),
    retrieve=extend_schema(summary="A statement", responses={200: StatementSerializer, 404: ERRORS[404]}),
)
class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Statements, who said them (and in which office), and every article that reported them."""

    serializer_class = StatementSerializer
    action_permissions = {
        action: ["quotes.change_statement"]
        for action in ("partial_update", "verify", "reject", "merge", "split")
    }
    filter_backends = [FilterBackend]
    filterset_class = StatementFilter
    parser_classes = JSON_ONLY  # a correction's speakers, a merge's and a split's ids are lists

    def get_queryset(self) -> QuerySet[Statement]:
        # One statement is always reachable (a reviewer may reverse a rejection);
        # the list shows rejected ones only when asked for.
        asked = self.request.query_params.get("review_status") if self.request else None
        if self.action == "list":  # plain rows, see list()
            return statement_rows(include_rejected=asked == Statement.Review.REJECTED)
        return statement_list(include_rejected=True, with_roles=True)

    # The list as a file: /api/statements/?format=csv|jsonl (or Accept: text/csv, application/x-ndjson)
    # is the export (quotes.api.export): the same filters, streamed, throttled as exports are.
    def _as_file(self) -> str | None:
        return exports.asked_format(self.request) if self.action == "list" else None

    def perform_content_negotiation(self, request: Request, force: bool = False):
        if self._as_file():
            return exports.JsonNegotiation().select_renderer(request, [JSONRenderer()])
        return super().perform_content_negotiation(request, force)

    def get_throttles(self):
        if self._as_file():
            return [throttle() for throttle in exports.THROTTLE_CLASSES]
        return super().get_throttles()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and "search_rank" in queryset.query.annotations:
            queryset = statements_top_ranked(queryset)
        return queryset

    def list(self, request: Request, *args, **kwargs) -> Response | StreamingHttpResponse:
        file_format = self._as_file()
        if file_format:  # ?format=csv|jsonl or Accept: the streamed export of the same filters
            self.filterset_class = exports.StatementExportFilter
            return self.export(request, format=file_format)
        # Read-only rows, not model instances: a page is plain dicts (get_queryset: selectors.statement_rows),
        # which StatementSerializer's list shapes into the same JSON, for a fraction of the CPU.
        rows = statement_rows_related(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def keyset_order(self, queryset: QuerySet) -> Order:
        """Best match first for a search; else ``?ordering=``, through the links for ``?speaker=``."""
        asked = self.request.query_params.get("ordering", "said_on")
        if asked not in STATEMENT_ORDERS:  # a 400, as the schema's enum says, not the default order
            raise ValidationError({"ordering": [f"Order by one of: {', '.join(STATEMENT_ORDERS)}."]})
        annotations = queryset.query.annotations
        if "search_rank" in annotations:
            return STATEMENTS_BY_RANK
        by_date, by_speaker = STATEMENT_ORDERS[asked]
        return by_speaker if "link_said_on" in annotations else by_date

    def keyset_walk(self, queryset: QuerySet) -> Walk | None:
        """One speaker's statements in date order, narrowed by what no index serves: a bounded walk."""
        if self.keyset_order(queryset) not in (SPEAKER_STATEMENTS_BY_DATE, SPEAKER_STATEMENTS_BY_DATE_DESC):
            return None
        return speaker_walk(queryset, limit=settings.SPEAKER_WALK_LIMIT)

    def _fresh(self, pk: int) -> dict:
        """The statement re-read with its annotations, as the API shows it."""
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(
        summary="Correct a statement (staff)",
        description="Any of text, kind, said_on, said_on_precision and speakers (slugs). "
        "The statement becomes edited: re-extraction will not change it.",
        request=StatementEditSerializer,
        responses={200: StatementSerializer, **ERRORS, **NOT_JSON},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        statement = self.get_object()
        serializer = StatementEditSerializer(instance=statement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        statement_edit(statement=statement, user=request.user, **serializer.validated_data)
        return Response(self._fresh(statement.pk))

    @extend_schema(summary="Verify a statement (staff)", request=None,
                   responses={200: StatementSerializer, **STAFF_ONLY, 404: ERRORS[404]})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk=None) -> Response:
        statement = self.get_object()
        statements_verify(statement_ids=[statement.pk], user=request.user)
        return Response(self._fresh(statement.pk))

    @extend_schema(summary="Reject a statement (staff)", request=None,
                   responses={200: StatementSerializer, **STAFF_ONLY, 404: ERRORS[404]})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        statement = self.get_object()
        statements_reject(statement_ids=[statement.pk], user=request.user)
        return Response(self._fresh(statement.pk))

    @extend_schema(
        summary="Merge other statements into this one (staff)",
        description="Their appearances and speakers move here and they are deleted; this one keeps its "
        "text and kind and becomes edited. 409 when the merged speakers make it the same as yet "
        "another statement (merge that one as well).",
        request=StatementMergeSerializer,
        responses={200: StatementSerializer, **ERRORS, 409: CONFLICT, **NOT_JSON},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk=None) -> Response:
        statement = self.get_object()
        serializer = StatementMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        others = serializer.validated_data["others"]
        merged = statements_merge(target=statement, others=others, user=request.user)
        return Response(self._fresh(merged.pk))

    @extend_schema(
        summary="Split appearances off into a new statement (staff)",
        description="Some, not all, of this statement's appearances move to a new statement with the "
        "same words and speakers; both become edited, so re-extraction keeps them apart.",
        request=StatementSplitSerializer,
        responses={
            201: OpenApiResponse(StatementSerializer, description="The new statement."), **ERRORS,
            **NOT_JSON,
        },
    )
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk=None) -> Response:
        statement = self.get_object()
        serializer = StatementSplitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["appearance_ids"]
        new = statement_split(statement=statement, appearance_ids=ids, user=request.user)
        url = reverse("api:statement-detail", kwargs={"pk": new.pk}, request=request)
        return Response(self._fresh(new.pk), status=status.HTTP_201_CREATED, headers={"Location": url})

    @extend_schema(
        summary="Export statements as CSV or JSON Lines",
        description="Every statement the same filters select (rejected ones only with "
        "review_status=rejected), in date order, undated last, streamed as a file: "
        "?format=csv (the default) or jsonl, or the suffix export.csv / export.jsonl. "
        "Anonymous clients: throttle scope export (API_THROTTLE_EXPORT) and at most "
        f"{exports.ANON_MAX_ROWS} rows (X-Export-Row-Limit). See quotes/api/export.py for the columns.",
        filters=True,
        parameters=[OpenApiParameter("format", str, enum=[*exports.FORMATS], description="File format.")],
        responses={
            (200, "text/csv"): OpenApiResponse(str, description="CSV with a header row."),
            (200, "application/x-ndjson"): OpenApiResponse(str, description="One JSON object a line."),
            400: ERRORS[400], 429: OpenApiResponse(ErrorSerializer, description="Too many exports."),
        },
    )
    @action(detail=False, methods=["get"], filterset_class=exports.StatementExportFilter,
            throttle_classes=exports.THROTTLE_CLASSES, content_negotiation_class=exports.JsonNegotiation,
            renderer_classes=[JSONRenderer])
    def export(self, request: Request, format: str | None = None) -> StreamingHttpResponse:
        file_format = exports.export_format(request, format)
        asked = request.query_params.get("review_status")
        base = statement_list(include_rejected=asked == Statement.Review.REJECTED)
        return exports.export_response(request=request, queryset=self.filter_queryset(base),
                                       file_format=file_format)


@extend_schema_view(
    list=extend_schema(summary="List articles", description="Newest first, without their text."),
    retrieve=extend_schema(
        summary="An article, its text and its statements",
        description="Poll this after submitting: extraction_status goes pending, running, done (or failed).",
        responses={200: ArticleDetailSerializer, 404: ERRORS[404]},
    ),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Articles and their extraction; submitting one queues the extraction."""

    action_permissions = {"create": ["quotes.add_article"], "extract": ["quotes.change_article"]}
    filter_backends = [FilterBackend]
    filterset_class = ArticleFilter
    keyset_order_default = ARTICLES_NEWEST_FIRST

    def get_queryset(self) -> QuerySet[Article]:
        # The list leaves the text out; one article is read with it.
        return article_list() if self.action == "list" else article_list().defer(None)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ArticleDetailSerializer
        if self.action == "create":
            return ArticleSubmitSerializer
        return ArticleSerializer

    def retrieve(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        article.reported_statements = article_statements(article=article)
        return Response(self.get_serializer(article).data)

    @extend_schema(
        summary="Submit an article (staff)",
        description="Stores the article and queues its extraction; answers at once with the URL to poll.",
        request=ArticleSubmitSerializer,
        responses={
            202: OpenApiResponse(ArticleAcceptedSerializer, description="Stored; extraction queued."),
            400: ERRORS[400],
            **STAFF_ONLY,
            409: OpenApiResponse(DuplicateArticleErrorSerializer, description="Already stored."),
            413: OpenApiResponse(ErrorSerializer, description="Request body too large."),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = ArticleSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if "text" not in serializer.validated_data:
            article = article_submit_url(url=serializer.validated_data["url"], submitted_by=request.user)
        else:
            article = article_submit(**serializer.validated_data, submitted_by=request.user)
        return self._accepted(request, article)

    @extend_schema(
        summary="Run the extraction again (staff)", request=None,
        responses={
            202: OpenApiResponse(ArticleAcceptedSerializer, description="Extraction queued."),
            **STAFF_ONLY, 404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["post"])
    def extract(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        article_extraction_request(article_ids=[article.pk])
        article.refresh_from_db(fields=["extraction_status"])
        return self._accepted(request, article)

    @staticmethod
    def _accepted(request: Request, article: Article) -> Response:
        url = reverse("api:article-detail", kwargs={"pk": article.pk}, request=request)
        body = {"id": article.pk, "url": url, "extraction_status": article.extraction_status}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


@extend_schema_view(
    list=extend_schema(
        summary="Near-duplicate statement pairs (staff)",
        description="The review queue, most similar first: open pairs unless ?status= asks for others.",
        responses={200: DuplicateCandidateSerializer(many=True), 400: ERRORS[400], **STAFF_ONLY},
    ),
    retrieve=extend_schema(
        summary="A duplicate pair (staff)",
        responses={200: DuplicateCandidateSerializer, **STAFF_ONLY, 404: ERRORS[404]},
    ),
)
class DuplicateCandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Pairs of statements that read alike (written by duplicates_find), merged or dismissed by staff."""

    serializer_class = DuplicateCandidateSerializer
    permission_classes = [StaffWithModelPermissions]
    action_permissions = {
        "list": ["quotes.view_duplicatecandidate"], "retrieve": ["quotes.view_duplicatecandidate"],
        "merge": ["quotes.change_duplicatecandidate"], "dismiss": ["quotes.change_duplicatecandidate"],
    }
    filter_backends = [DjangoFilterBackend]
    filterset_class = DuplicateCandidateFilter
    keyset_order_default = DUPLICATES_MOST_SIMILAR

    def get_queryset(self) -> QuerySet[DuplicateCandidate]:
        return duplicate_candidate_list()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The status filter (open by default) narrows the list only: any pair has a URL.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(
        summary="Merge the pair (staff)",
        description="The statement a human already decided on is kept, else the older one; "
        "answers with the statement kept. 409 when the pair is no longer open.",
        request=None,
        responses={200: StatementSerializer, **STAFF_ONLY, 404: ERRORS[404], 409: RESOLVED},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk=None) -> Response:
        candidate = self.get_object()
        kept = duplicate_candidate_resolve(candidate=candidate, merge=True, user=request.user)
        kept = statement_list(include_rejected=True, with_roles=True).get(pk=kept.pk)
        return Response(StatementSerializer(kept, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Dismiss the pair: not duplicates (staff)",
        description="A dismissed pair is not offered again. 409 when the pair is no longer open.",
        request=None,
        responses={200: DuplicateCandidateSerializer, **STAFF_ONLY, 404: ERRORS[404], 409: RESOLVED},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk=None) -> Response:
        candidate = self.get_object()
        duplicate_candidate_resolve(candidate=candidate, merge=False, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=candidate.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Feeds (staff)", responses={200: FeedSerializer(many=True), **STAFF_ONLY}),
    retrieve=extend_schema(summary="A feed (staff)", responses={200: FeedSerializer, **ERRORS}),
    create=extend_schema(
        summary="Add a feed (staff)", description="Polled from the next round on (Celery beat).",
        responses={
            201: FeedSerializer, **ERRORS, 409: OpenApiResponse(ErrorSerializer, description="Stored."),
        },
    ),
    partial_update=extend_schema(summary="Change a feed (staff)", responses={
        200: FeedSerializer, **ERRORS,
        409: OpenApiResponse(ErrorSerializer, description="Its new URL is another feed's."),
    }),
    destroy=extend_schema(summary="Delete a feed (staff)", responses={204: None, **ERRORS}),
)
class FeedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, ApiViewSet,
):
    """RSS and Atom feeds polled for new articles; staff only, reads included."""

    serializer_class = FeedSerializer
    permission_classes = [StaffWithModelPermissions]
    action_permissions = {
        "list": ["quotes.view_feed"], "retrieve": ["quotes.view_feed"], "create": ["quotes.add_feed"],
        "partial_update": ["quotes.change_feed"], "destroy": ["quotes.delete_feed"],
    }
    keyset_order_default = FEEDS_BY_URL
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return feed_list()

    def perform_create(self, serializer) -> None:
        serializer.instance = feed_add(**serializer.validated_data)

    def perform_update(self, serializer) -> None:
        feed = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(feed, name, value)
        serializer.instance = feed_save(feed=feed)

    def perform_destroy(self, instance) -> None:
        feed_delete(feed=instance)
