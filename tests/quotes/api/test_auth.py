"""Who may write: staff only, by session or token; a token endpoint for developers."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory

PASSWORD = "correct horse battery staple"


def test_token_endpoint_gives_a_token(db):
    staff = StaffFactory(username="editor")
    response = APIClient().post("/api/auth/token/", {"username": "editor", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=staff).key


def test_token_endpoint_refuses_a_wrong_password(db):
    StaffFactory(username="editor")
    response = APIClient().post("/api/auth/token/", {"username": "editor", "password": "nope"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(("is_staff", "expected"), [(True, 200), (False, 403)])
def test_token_authenticates_writes(world, is_staff, expected):
    user = (StaffFactory if is_staff else UserFactory)()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = client.post(f"/api/statements/{world['taxes'].pk}/verify/")

    assert response.status_code == expected


def test_bad_token_is_refused_as_json(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.post(f"/api/statements/{world['taxes'].pk}/verify/")

    assert response.status_code in (401, 403)
    assert response.json()["code"] == "authentication_failed"


def test_session_writes_need_csrf(world):
    staff = StaffFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(f"/api/statements/{world['taxes'].pk}/verify/")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_inactive_staff_cannot_write(world):
    client = APIClient()
    client.force_authenticate(StaffFactory(is_active=False))
    assert client.post(f"/api/statements/{world['taxes'].pk}/verify/").status_code == 403


def test_anyone_reads(api_client, world):
    for url in ("/api/", "/api/speakers/", "/api/statements/", "/api/articles/"):
        assert api_client.get(url).status_code == 200, url
