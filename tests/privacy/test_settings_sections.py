"""The settings page is drawn by sections: privacy's answer to a refused deletion is whole."""

from __future__ import annotations

import pytest
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from tests.privacy.conftest import web_as

pytestmark = pytest.mark.django_db

SECTIONS = (
    "Change password",
    "API tokens",
    "Privacy and safety",
    "Notifications",
    "Download your data",
    "Delete account",
)


def test_settings_page_shows_every_section(make_user) -> None:
    ana = make_user("ana")
    token_create(user=ana, name="My script")
    page = web_as(ana).get(reverse("accounts:settings")).content.decode()
    for title in SECTIONS:
        assert title in page
    assert "My script" in page
    assert f'action="{reverse("accounts:account_delete")}#delete"' in page


def test_refused_deletion_answers_the_whole_settings_page(make_user) -> None:
    ana = make_user("ana")
    token_create(user=ana, name="My script")
    client = web_as(ana)
    response = client.post(reverse("accounts:account_delete"), {"password": "not-it"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "This is not your password." in page
    # The other apps' sections are there too, as on the page itself.
    for title in SECTIONS:
        assert title in page
    assert "My script" in page
    ana.refresh_from_db()
    assert ana.is_active
    assert ana.deletion_requested_at is None
    assert ana.api_tokens.filter(revoked_at__isnull=True).count() == 1
    assert client.session.get("_auth_user_id") == str(ana.pk)


def test_refused_deletion_keeps_the_other_forms_empty(make_user) -> None:
    ana = make_user("ana")
    response = web_as(ana).post(reverse("accounts:account_delete"), {})
    page = response.content.decode()
    assert response.status_code == 422
    assert page.count("This field is required.") == 1
    assert User.objects.filter(pk=ana.pk, is_active=True).exists()
