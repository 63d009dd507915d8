"""Absolute links (reset emails, shared posts) use the address the site was reached at,
unless GLIMPSE_SITE_URL names it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.core.site import absolute_url, site_url
from glimpse.posts.models import Post
from glimpse.posts.selectors import post_permalink
from tests.conftest import ApiClient
from tests.posts.conftest import client_for, media_for, publish

__all__ = ["client_for", "media_for", "publish"]

pytestmark = pytest.mark.django_db


def reset_link(mailoutbox: list[Any]) -> str:
    found = re.search(r"https?://\S+/accounts/reset/\S+", mailoutbox[-1].body)
    assert found is not None, mailoutbox[-1].body
    return found.group(0)


def test_the_embedded_default_names_no_address() -> None:
    if "GLIMPSE_SITE_URL" in os.environ:
        pytest.skip("GLIMPSE_SITE_URL is set in this environment")
    assert django_settings.GLIMPSE_SITE_URL == ""


def test_a_reset_email_links_to_the_host_and_port_it_was_asked_from(
    user: User, mailoutbox: list[Any], settings: Any
) -> None:
    settings.GLIMPSE_SITE_URL = ""
    answer = Client().post(
        reverse("accounts:password_reset"), {"email": user.email}, HTTP_HOST="localhost:8100"
    )
    assert answer.status_code == 302
    assert reset_link(mailoutbox).startswith("http://localhost:8100/accounts/reset/")


def test_a_reset_email_asked_through_the_api_does_the_same(
    user: User, mailoutbox: list[Any], settings: Any
) -> None:
    settings.GLIMPSE_SITE_URL = ""
    answer = ApiClient().post(
        "auth/password-reset", {"email": user.email}, HTTP_HOST="127.0.0.1:8123"
    )
    assert answer.status_code == 202, answer.content
    assert reset_link(mailoutbox).startswith("http://127.0.0.1:8123/accounts/reset/")


def test_the_setting_wins_over_the_request(
    user: User, mailoutbox: list[Any], settings: Any
) -> None:
    settings.GLIMPSE_SITE_URL = "https://glimpse.example/"
    Client().post(
        reverse("accounts:password_reset"), {"email": user.email}, HTTP_HOST="localhost:8100"
    )
    assert reset_link(mailoutbox).startswith("https://glimpse.example/accounts/reset/")


def test_a_forged_host_gets_no_email(user: User, mailoutbox: list[Any], settings: Any) -> None:
    settings.GLIMPSE_SITE_URL = ""
    answer = Client().post(
        reverse("accounts:password_reset"), {"email": user.email}, HTTP_HOST="evil.example"
    )
    assert answer.status_code == 400
    assert mailoutbox == []


def test_a_shared_post_links_to_the_host_of_each_request(
    user: User,
    publish: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
    settings: Any,
) -> None:
    settings.GLIMPSE_SITE_URL = ""
    post = publish(user)
    api = client_for(user)
    first = api.get(f"posts/{post.pk}", HTTP_HOST="localhost:8100").json()
    assert first["permalink"] == f"http://localhost:8100/p/{post.pk}/"
    # The post's card is cached by now: the next request still gets its own address.
    second = api.get(f"posts/{post.pk}", HTTP_HOST="127.0.0.1:8200").json()
    assert second["permalink"] == f"http://127.0.0.1:8200/p/{post.pk}/"
    client = Client()
    client.force_login(user)
    html = client.get(f"/p/{post.pk}/", HTTP_HOST="localhost:8300").content.decode()
    assert f'value="http://localhost:8300/p/{post.pk}/"' in html
    settings.GLIMPSE_SITE_URL = "https://glimpse.example"
    third = api.get(f"posts/{post.pk}", HTTP_HOST="localhost:8100").json()
    assert third["permalink"] == f"https://glimpse.example/p/{post.pk}/"


def test_outside_a_request_links_are_relative_unless_the_setting_names_the_site(
    settings: Any,
) -> None:
    settings.GLIMPSE_SITE_URL = ""
    assert site_url() == ""
    assert post_permalink(post_id=12) == "/p/12/"
    settings.GLIMPSE_SITE_URL = "https://glimpse.example/"
    assert absolute_url("/p/12/") == "https://glimpse.example/p/12/"
