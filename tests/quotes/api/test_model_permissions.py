"""Every write and review action follows Django's model permissions, as the admin does.

A staff user without the permission is refused (403) and nothing changes; with exactly that
permission the same request goes through.
"""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from quotes.models import Article, DuplicateCandidate, Statement
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

S = "/api/statements/"
ARTICLE = {"title": "Harbour", "text": '"We sail at dawn," Captain Ida Ferro said.',
           "published_at": "2025-02-09"}

# name, permission, method, path and body from the world, the status it answers when allowed
ACTIONS = [
    ("statement-edit", "change_statement", "patch",
     lambda w: (f"{S}{w['taxes'].pk}/", {"kind": "indirect"}), 200),
    ("statement-verify", "change_statement", "post", lambda w: (f"{S}{w['taxes'].pk}/verify/", None), 200),
    ("statement-reject", "change_statement", "post", lambda w: (f"{S}{w['taxes'].pk}/reject/", None), 200),
    ("statement-merge", "change_statement", "post",
     lambda w: (f"{S}{w['taxes'].pk}/merge/", {"others": [w["finance"].pk]}), 200),
    ("statement-split", "change_statement", "post",
     lambda w: (f"{S}{w['taxes'].pk}/split/", {"appearance_ids": [w["taxes"].appearances.first().pk]}), 201),
    ("speaker-merge", "change_speaker", "post",
     lambda w: ("/api/speakers/jane-doe/merge/", {"others": ["john-roe"]}), 200),
    ("article-submit", "add_article", "post", lambda w: ("/api/articles/", ARTICLE), 202),
    ("article-extract", "change_article", "post",
     lambda w: (f"/api/articles/{w['a1'].pk}/extract/", None), 202),
    ("duplicates-list", "view_duplicatecandidate", "get", lambda w: ("/api/duplicates/", None), 200),
    ("duplicate-read", "view_duplicatecandidate", "get",
     lambda w: (f"/api/duplicates/{w['pair'].pk}/", None), 200),
    ("duplicate-merge", "change_duplicatecandidate", "post",
     lambda w: (f"/api/duplicates/{w['pair'].pk}/merge/", None), 200),
    ("duplicate-dismiss", "change_duplicatecandidate", "post",
     lambda w: (f"/api/duplicates/{w['pair'].pk}/dismiss/", None), 200),
]
EACH_ACTION = ("name", "perm", "method", "request_for", "allowed")


def _state() -> tuple:
    """What a write would change: statements and their review, articles, pairs."""
    return (
        sorted(Statement.objects.values_list("pk", "review_status", "kind")),
        sorted(Article.objects.values_list("pk", "extraction_status")),
        sorted(DuplicateCandidate.objects.values_list("pk", "status")),
    )


@pytest.fixture
def paired(world):
    first, second = sorted([world["taxes"], world["finance"]], key=lambda s: s.pk)
    return {**world, "pair": DuplicateCandidate.objects.create(first=first, second=second, similarity=0.9)}


def _call(world, user, method, request_for):
    client = APIClient()
    client.force_authenticate(user)
    path, body = request_for(world)
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize(EACH_ACTION, ACTIONS, ids=[a[0] for a in ACTIONS])
def test_staff_without_the_permission_is_refused_and_nothing_changes(
    paired, name, perm, method, request_for, allowed,
):
    # (the change permission grants the view one, as in the admin)
    that = {perm, perm.replace("view_", "change_")}
    all_but_that = Permission.objects.exclude(codename__in=that).values_list("codename", flat=True)
    before = _state()
    response = _call(paired, StaffFactory(permissions=list(all_but_that)), method, request_for)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert _state() == before


@pytest.mark.parametrize(EACH_ACTION, ACTIONS, ids=[a[0] for a in ACTIONS])
def test_staff_with_just_that_permission_may(paired, name, perm, method, request_for, allowed):
    response = _call(paired, StaffFactory(permissions=[perm]), method, request_for)
    assert response.status_code == allowed, response.content


def test_the_change_permission_also_opens_the_duplicates_queue_as_in_the_admin(paired):
    response = _call(paired, StaffFactory(permissions=["change_duplicatecandidate"]), "get",
                     lambda w: ("/api/duplicates/", None))
    assert response.status_code == 200
