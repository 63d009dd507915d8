"""Reporting an account of another server in a real browser, on a phone and on a desktop,
light and dark: the form offers to send the report to that server's moderators too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.accounts.services import remote_account_create
from glimpse.moderation.models import Report
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["desktop", "phone", "small-phone"])
def test_a_report_of_another_servers_account_can_go_to_its_moderators(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    make_user("ana")
    bob = remote_account_create(
        username="bob.with.a.long.name@photos.social.example",
        display_name="Bob",
        bio="",
        is_private=False,
        remote_url="https://photos.social.example/@bob.with.a.long.name",
    )
    page = browser_page.page
    log_in(browser_page, "ana")
    browser_page.goto(f"/report/account/{bob.pk}/")
    offer = page.get_by_label("Also send it to the moderators of photos.social.example")
    expect(offer).to_be_visible()
    page.get_by_label("Spam").check()
    offer.check()
    # The long name@host wraps: nothing runs out of the form's card.
    card = page.locator(".mod-report")
    assert card.evaluate("card => card.scrollWidth <= card.clientWidth")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        browser_page.screenshot(f"report-forward-{scheme}")
    page.emulate_media(color_scheme="light")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thanks for telling us")).to_be_visible()
    assert Report.objects.filter(target_type="account", target_id=bob.pk).count() == 1
