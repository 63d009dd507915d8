"""Web pages answer 400 to a NUL character in any query or form field, never a 500.

PostgreSQL can neither store nor compare a NUL: before the check, such fields were 500s
there (search terms, comments, captions, report notes), or slipped through on SQLite.
"""

from __future__ import annotations

import pytest
from django.test import Client

from glimpse.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NUL_TEXT = "a\x00b"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/edit/", {"display_name": NUL_TEXT, "bio": "", "website": ""}),
        ("/accounts/edit/", {"display_name": "Ana", "bio": NUL_TEXT, "website": ""}),
        ("/accounts/settings/tokens/", {"name": NUL_TEXT}),
        ("/stories/new/", {"media_id": "1", "caption": NUL_TEXT}),
        ("/report/post/1/", {"reason": "spam", "note": NUL_TEXT}),
        ("/accounts/settings/close-friends/", {"username": NUL_TEXT}),
    ],
)
def test_a_nul_in_a_signed_in_form_is_a_400(client: Client, user: User, url: str, data: dict):
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"null characters" in response.content
    user.refresh_from_db()
    assert (user.display_name, user.bio) == ("Ana Lima", "")
    assert user.api_tokens.count() == 0


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/", {"username": NUL_TEXT, "password": PASSWORD}),
        (
            "/accounts/signup/",
            {"username": NUL_TEXT, "email": "b@example.com", "password": PASSWORD},
        ),
        ("/accounts/password-reset/", {"email": "ana\x00@example.com"}),
    ],
)
def test_a_nul_in_an_anonymous_form_is_a_400(
    client: Client, user: User, mailoutbox: list, url: str, data: dict
) -> None:
    response = client.post(url, data)
    assert response.status_code == 400
    assert User.objects.count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize("query", ["/search/?q=a%00b", "/search/?q=ana&type=%00", "/?max_id=%00"])
def test_a_nul_in_a_query_string_is_a_400(client: Client, user: User, query: str) -> None:
    client.force_login(user)
    assert client.get(query).status_code == 400
