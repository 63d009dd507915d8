"""Passkeys in a real Chromium: its virtual authenticator, driven through the DevTools protocol.

The page is opened at ``localhost``: browsers accept a host name as a passkey's relying
party, never an IP address.
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from playwright.sync_api import expect

from glimpse.accounts.models import Passkey, RecoveryCode
from tests.browser.axe import serious_violations
from tests.browser.conftest import BrowserPage, asgi_server, browser_page, chromium
from tests.conftest import PASSWORD

__all__ = ["asgi_server", "browser_page", "chromium"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")


def add_authenticator(browser_page: BrowserPage) -> Any:
    """Give the page a platform authenticator that verifies its user, as a phone does."""
    devtools = browser_page.page.context.new_cdp_session(browser_page.page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return devtools


def password_log_in(browser_page: BrowserPage, username: str) -> None:
    """Fill in the log-in form and send it."""
    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("viewport", ["desktop"])
def test_register_a_passkey_then_log_in_with_it(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    ana = make_user("ana")
    browser_page.base_url = browser_page.base_url.replace("127.0.0.1", "localhost")
    add_authenticator(browser_page)
    password_log_in(browser_page, "ana")
    page.wait_for_url(browser_page.base_url + "/")

    browser_page.goto("/accounts/settings/two-factor/")
    section = page.locator("#passkeys")
    section.get_by_label("Passkey name").fill("Test phone")
    section.get_by_label("Password").fill(PASSWORD)
    section.get_by_role("button", name="Add a passkey").click()

    codes = page.locator("[data-passkey-code-list] li")
    expect(codes).to_have_count(10)
    browser_page.screenshot("two-factor-passkey-added")
    passkey = Passkey.objects.get(user=ana)
    assert passkey.name == "Test phone"
    assert RecoveryCode.objects.filter(user=ana, used_at__isnull=True).count() == 10
    page.get_by_role("link", name="I saved my codes").click()
    expect(page.get_by_text("Test phone")).to_be_visible()

    browser_page.end_session()
    password_log_in(browser_page, "ana")
    page.wait_for_url(browser_page.base_url + "/accounts/login/verify/")
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    browser_page.screenshot("two-factor-second-step-passkey")
    page.get_by_role("button", name="Use a passkey").click()

    page.wait_for_url(browser_page.base_url + "/")
    expect(page.get_by_role("heading", name="Welcome, ana")).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    used = passkey.sign_count

    # The passkey alone (it verifies its user): no password, and `next` is kept.
    browser_page.end_session()
    browser_page.goto("/accounts/login/?next=/explore/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(browser_page.base_url + "/explore/")
    browser_page.goto("/accounts/settings/")
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.sign_count > used


@pytest.mark.parametrize("viewport", ["phone"])
def test_two_factor_pages_have_no_serious_accessibility_violation(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    ana = make_user("ana")
    Passkey.objects.create(user=ana, name="Phone", credential_id="AAAA", public_key=b"\x01")
    RecoveryCode.objects.create(user=ana, digest="0" * 64)
    make_user("rita")
    password_log_in(browser_page, "rita")
    page.wait_for_url(browser_page.base_url + "/")
    pages = ["/accounts/settings/two-factor/app/", "/accounts/settings/two-factor/"]
    found: dict[str, list[str]] = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        for path in pages:
            browser_page.goto(path)
            found[f"{path}, {scheme}"] = serious_violations(page, browser_page.base_url)
    browser_page.end_session()
    password_log_in(browser_page, "ana")
    page.wait_for_url(browser_page.base_url + "/accounts/login/verify/")
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        # Loaded anew in the scheme, as the pages above: no colour is caught mid-transition.
        page.reload()
        page.wait_for_load_state("load")
        found[f"second step, {scheme}"] = serious_violations(page, browser_page.base_url)
    report = [f"{where}: {v}" for where, violations in found.items() for v in violations]
    assert report == [], "\n".join(report)
