"""Failed sign-ins lock out the account and the address (django-axes), on the token endpoint and the admin."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories' password
TOKEN = "/api/auth/token/"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def _token(username, password, address="203.0.113.7"):
    return APIClient().post(TOKEN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_the_limit_even_from_other_addresses(limit):
    StaffFactory(username="editor")
    for i in range(limit - 1):
        assert _token("editor", "wrong", address=f"198.51.100.{i}").status_code == 400
    assert _token("editor", "wrong", address="198.51.100.50").status_code == 429  # the last failure locks
    refused = _token("editor", PASSWORD, address="192.0.2.99")  # the right password, a new address
    assert refused.status_code == 429
    assert refused.json()["code"] == "locked_out"


def test_an_address_is_locked_after_the_limit_even_for_other_accounts(limit):
    StaffFactory(username="editor")
    for i in range(limit - 1):
        assert _token(f"guess{i}", "wrong").status_code == 400
    assert _token("guess-last", "wrong").status_code == 429
    assert _token("editor", PASSWORD).status_code == 429
    assert _token("editor", PASSWORD, address="192.0.2.99").status_code == 200  # elsewhere, fine


def test_a_success_below_the_limit_clears_the_accounts_count(limit):
    StaffFactory(username="editor")
    addresses = iter(f"198.51.100.{i}" for i in range(10))  # one each: only the account counts
    for _ in range(limit - 1):
        assert _token("editor", "wrong", next(addresses)).status_code == 400
    assert _token("editor", PASSWORD, next(addresses)).status_code == 200
    for _ in range(limit - 1):
        assert _token("editor", "wrong", next(addresses)).status_code == 400
    assert _token("editor", PASSWORD, next(addresses)).status_code == 200


def test_the_admin_login_is_locked_out_too(limit):
    StaffFactory(username="editor")
    client = Client(REMOTE_ADDR="203.0.113.8")
    answers = [client.post("/admin/login/", {"username": "editor", "password": "wrong"}).status_code
               for _ in range(limit)]
    assert answers == [200] * (limit - 1) + [429]  # the login form again, then the lock-out
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("forwarded", ["junk", "", "203.0.113.7, not-an-ip"])
def test_an_address_that_is_not_one_is_no_500(settings, forwarded):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    StaffFactory(username="editor")
    extra = {"HTTP_X_FORWARDED_FOR": forwarded}
    assert APIClient().post(TOKEN, {"username": "editor", "password": "wrong"}, **extra).status_code == 400
    assert APIClient().post(TOKEN, {"username": "editor", "password": PASSWORD}, **extra).status_code == 200


def test_a_session_login_without_an_address_is_no_500(client):
    client.force_login(StaffFactory())  # Django's test login: a request with no REMOTE_ADDR
    assert client.get("/admin/").status_code == 200
