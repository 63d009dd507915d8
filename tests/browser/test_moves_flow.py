"""Moving an account in a real browser, on a phone and on a desktop, light and dark.

Ana lists her old account as an alias, tries to move to Lena's account before Lena lists
her (and reads what to do), then moves once it does; her profile says where she went.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id
from glimpse.federation.moves.aliases import alias_add
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots(browser_page: BrowserPage, name: str) -> None:
    """Save the page in the light scheme, then in the dark one."""
    for scheme in ("light", "dark"):
        browser_page.page.emulate_media(color_scheme=scheme)
        browser_page.screenshot(f"{name}-{scheme}")
    browser_page.page.emulate_media(color_scheme="light")


@pytest.mark.parametrize("viewport", ["desktop", "phone", "small-phone"])
def test_move_an_account_from_the_settings(
    browser_page: BrowserPage, viewport: str, make_user: Any, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION = True
    settings.GLIMPSE_SITE_URL = browser_page.base_url
    host = browser_page.base_url.split("://", 1)[1]
    page = browser_page.page
    ana = make_user("ana", display_name="Ana Lima")
    make_user("anaoldaccountwithalongname", display_name="Ana (old)")
    lena = make_user("lena", display_name="Lena Park")
    make_user("rui", display_name="Rui Costa")

    log_in(browser_page, "ana")
    browser_page.goto("/accounts/settings/")
    page.locator("#moving").get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", name="Moving accounts", level=1)).to_be_visible()

    # An old account, by its handle.
    page.get_by_label("Old account").fill(f"@anaoldaccountwithalongname@{host}")
    page.get_by_role("button", name="Add alias").click()
    expect(page.get_by_text("is listed as your alias")).to_be_visible()

    # Lena's account does not list Ana yet: the page says what to do.
    page.get_by_label("New account").fill(f"@lena@{host}")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Move my account").click()
    expect(page.get_by_text("as an alias on your new account first")).to_be_visible()
    shots(browser_page, "moves-01-settings-refused")

    # Once it does, the move goes through.
    alias_add(user=lena, address=actor_id("ana"))
    page.get_by_label("New account").fill(f"@lena@{host}")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Move my account").click()
    expect(page.get_by_role("heading", name="This account has moved")).to_be_visible()
    shots(browser_page, "moves-02-settings-moved")
    ana.refresh_from_db()
    assert ana.moved_to_id == lena.pk

    # Rui sees where Ana went, and follows the link.
    log_in(browser_page, "rui")
    browser_page.goto("/ana/")
    expect(page.get_by_text("has moved to")).to_be_visible()
    shots(browser_page, "moves-03-moved-profile")
    page.get_by_role("link", name="@lena").click()
    expect(page.get_by_role("heading", name="lena", level=1)).to_be_visible()
    assert User.objects.get(pk=ana.pk).moved_to_id == lena.pk
