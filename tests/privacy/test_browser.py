"""Download your data and delete the account in a real browser, with screenshots."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from glimpse.accounts.models import User
from glimpse.privacy.models import DataExport
from tests.browser.conftest import BrowserPage, asgi_server, browser_page, chromium
from tests.conftest import PASSWORD

__all__ = ["asgi_server", "browser_page", "chromium"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser_page: BrowserPage, username: str) -> None:
    """Log in through the form."""
    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(browser_page.base_url + "/")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_progress_bar_refreshes_until_the_link_appears(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    ana = make_user("ana")
    log_in(browser_page, "ana")
    # An archive in the making, as the job leaves it halfway.
    export = DataExport.objects.create(
        user=ana, file_name=f"exports/{ana.pk}/a.zip", status="running", progress=40
    )
    browser_page.goto("/accounts/settings/#data")
    bar = page.get_by_role("progressbar", name="Archive progress")
    expect(bar).to_have_attribute("aria-valuenow", "40")
    DataExport.objects.filter(pk=export.pk).update(progress=70)
    expect(bar).to_have_attribute("aria-valuenow", "70")  # polled, no reload
    page.locator("#data").scroll_into_view_if_needed()
    browser_page.screenshot("your-data-01-export-running")
    DataExport.objects.filter(pk=export.pk).update(
        status="ready",
        progress=100,
        size_bytes=123_456,
        finished_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    expect(page.get_by_role("link", name="Download archive")).to_be_visible()
    expect(page.get_by_role("button", name="Request a new archive")).to_be_visible()
    browser_page.screenshot("your-data-02-export-ready")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_delete_then_come_back(browser_page: BrowserPage, viewport: str, make_user: Any) -> None:
    page = browser_page.page
    make_user("ana")
    log_in(browser_page, "ana")
    browser_page.goto("/accounts/settings/#delete")
    section = page.locator("#delete")
    section.get_by_label("Password").fill(PASSWORD)
    section.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("@ana is deactivated and will be deleted on")).to_be_visible()
    browser_page.screenshot("your-data-03-deletion-scheduled")
    assert User.objects.get(username="ana").is_active is False
    log_in(browser_page, "ana")
    expect(page.get_by_text("Welcome back, your account will not be deleted.")).to_be_visible()
    browser_page.screenshot("your-data-04-welcome-back")
    assert User.objects.get(username="ana").deletion_requested_at is None
