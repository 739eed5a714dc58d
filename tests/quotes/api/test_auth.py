"""Who may write: staff only, by session or token; a token endpoint for developers."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from quotes.api.permissions import StaffWithModelPermissionsOrReadOnly
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

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/articles/"),
    ("post", "/api/statements/{pk}/verify/"),
    ("patch", "/api/statements/{pk}/"),
    ("delete", "/api/statements/{pk}/"),
])
def test_anonymous_writes_are_401_with_a_challenge(world, method, path):
    # Without credentials the client is told how to authenticate, not that it is forbidden.
    url = path.format(pk=world["taxes"].pk)
    response = getattr(APIClient(enforce_csrf_checks=True), method)(url, {"kind": "indirect"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "Authentication credentials were not provided.", "code": "not_authenticated",
    }


def test_signed_in_non_staff_writes_are_403(world):
    client = APIClient()
    client.force_login(UserFactory())
    response = client.post(f"/api/statements/{world['taxes'].pk}/verify/")

    assert response.status_code == 403
    assert "WWW-Authenticate" not in response
    assert response.json() == {
        "detail": StaffWithModelPermissionsOrReadOnly.message, "code": "permission_denied",
    }


def test_session_staff_writes_with_a_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(StaffFactory())
    client.get("/admin/")  # sets the CSRF cookie, as the admin page does for a browser
    token = client.cookies["csrftoken"].value

    response = client.post(f"/api/statements/{world['taxes'].pk}/verify/", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 200, response.content
    assert response.json()["review_status"] == "verified"


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
