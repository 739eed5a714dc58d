"""quotetracker.auth.ModelPermissionsBackend answers has_perm as Django's ModelBackend does, in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission

from quotetracker.auth import ModelPermissionsBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _perm(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="quotes", codename=codename)


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # no permission cache


@pytest.fixture
def users():
    editors = Group.objects.create(name="editors")
    editors.permissions.add(_perm("change_statement"), _perm("view_statement"))
    others = Group.objects.create(name="others")
    others.permissions.add(_perm("delete_article"))
    own = UserFactory(is_staff=True)
    own.user_permissions.add(_perm("add_article"))
    grouped = UserFactory(is_staff=True)
    grouped.groups.add(editors)
    both = UserFactory(is_staff=True)
    both.user_permissions.add(_perm("add_article"), _perm("change_statement"))
    both.groups.add(editors, others)
    inactive = UserFactory(is_staff=True, is_active=False)
    inactive.user_permissions.add(_perm("add_article"))
    superuser = UserFactory(is_superuser=True, is_staff=True)
    return [own, grouped, both, inactive, superuser, UserFactory()]


def test_the_same_permissions_as_model_backend(users):
    for user in users:
        expected = ModelBackend().get_all_permissions(_fresh(user))
        assert ModelPermissionsBackend().get_all_permissions(_fresh(user)) == expected
    assert ModelPermissionsBackend().get_all_permissions(_fresh(users[2])) == {
        "quotes.add_article", "quotes.change_statement", "quotes.view_statement", "quotes.delete_article",
    }
    assert ModelPermissionsBackend().get_all_permissions(_fresh(users[3])) == set()  # inactive
    assert ModelPermissionsBackend().get_all_permissions(AnonymousUser()) == set()


def test_has_perm_through_the_configured_backend(users):
    own, grouped, both, inactive, superuser, nobody = (_fresh(u) for u in users)
    assert own.has_perm("quotes.add_article") and not own.has_perm("quotes.change_statement")
    assert grouped.has_perm("quotes.change_statement") and not grouped.has_perm("quotes.add_article")
    assert both.has_perm("quotes.delete_article")
    assert not inactive.has_perm("quotes.add_article")
    assert superuser.has_perm("quotes.anything_at_all")
    assert not nobody.has_perm("quotes.add_article")


def test_one_query_per_request_however_many_checks(users, django_assert_num_queries):
    user = _fresh(users[2])
    with django_assert_num_queries(1):
        assert user.has_perm("quotes.add_article")
        assert user.has_perm("quotes.view_statement")
        assert not user.has_perm("quotes.delete_statement")


def test_a_permission_granted_later_is_seen_by_the_next_request(users):
    user = _fresh(users[0])
    assert not user.has_perm("quotes.change_statement")
    users[0].user_permissions.add(_perm("change_statement"))
    assert _fresh(users[0]).has_perm("quotes.change_statement")
