"""Signing an app in, in a real browser: the consent page, the code to copy, and taking the
app's access back in the settings; checked with axe on a phone and a desktop, light and dark."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken
from playwright.sync_api import expect

from glimpse.accounts.oauth.services import OOB_REDIRECT_URI, oauth_app_register
from tests.browser.axe import serious_violations
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.oauth_flow import VERIFIER, s256

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_serious_violation(browser_page: BrowserPage, name: str) -> None:
    page = browser_page.page
    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        # Buttons fade their colours (0.15 s): measure the scheme, not the fade.
        page.wait_for_timeout(400)
        found += [f"{name}, {scheme}: {v}" for v in serious_violations(page, browser_page.base_url)]
    page.emulate_media(color_scheme="light")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_approve_copy_the_code_then_revoke(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    make_user("ana", display_name="Ana Lima")
    application, secret = oauth_app_register(
        name="Pocket",
        redirect_uris=[OOB_REDIRECT_URI],
        scopes="read write",
        website="https://pocket.example",
    )
    log_in(browser_page, "ana")
    query = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": OOB_REDIRECT_URI,
        "scope": "read write",
        "code_challenge": s256(VERIFIER),
        "code_challenge_method": "S256",
    }
    browser_page.goto("/oauth/authorize?" + urlencode(query))
    expect(page.get_by_role("heading", level=1)).to_have_text("Authorise Pocket?")
    expect(page.get_by_text("See everything of your account", exact=False)).to_be_visible()
    no_serious_violation(browser_page, "consent")
    browser_page.screenshot("oauth-consent")

    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy this code into Pocket")
    code = page.get_by_label("Authorisation code").input_value()
    no_serious_violation(browser_page, "code")
    # In-process, with a host the live server allows.
    token = Client(HTTP_HOST="127.0.0.1").post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OOB_REDIRECT_URI,
            "client_id": application.client_id,
            "client_secret": secret,
            "code_verifier": VERIFIER,
        },
    )
    assert token.status_code == 200

    browser_page.goto("/accounts/settings/#apps")
    apps = page.locator("#apps")
    expect(apps.get_by_text("Pocket")).to_be_visible()
    no_serious_violation(browser_page, "settings with an app")
    apps.get_by_role("button", name="Revoke the access of Pocket").click()
    expect(page.get_by_text("The app can no longer use your account.")).to_be_visible()
    expect(page.locator("#apps").get_by_text("No apps can use your account.")).to_be_visible()
    assert not AccessToken.objects.exists()
