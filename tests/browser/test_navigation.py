"""The navigation shell in real Chromium at 320 and 390 pixels (touch) and 1280: nothing wider
than the screen, the bottom bar's destinations on screen, log out only after confirming."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import FloatRect, Locator, Page, expect

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from tests.browser.conftest import VIEWPORTS, BrowserPage
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL = ["small-phone", "phone", "desktop"]


def overflow(page: Page) -> int:
    """Return by how many pixels the page is wider than the screen (0: not at all)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def within_screen(box: FloatRect | None, viewport: str) -> bool:
    size = VIEWPORTS[viewport]
    return (
        box is not None
        and box["width"] > 0
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def log_in(browser_page: BrowserPage, username: str) -> None:
    page = browser_page.page
    # A generous wait for the first page: the machine running the suite may be busy.
    page.goto(browser_page.base_url + "/accounts/login/", timeout=30_000)
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Nora")).to_be_visible()
    page.wait_for_load_state("load")  # the stylesheets applied, on a busy machine too


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


@pytest.fixture
def nora(make_user: Any) -> User:
    """An account with a long name, a follower (an unread notification) and a moderator role."""
    nora = make_user("nora.with.a.rather.long.name", display_name="Nora Lindqvist-Fernández")
    nora.user_permissions.add(Permission.objects.get(codename="moderate"))
    graph.follow_create(follower=make_user("bo"), followee=nora)
    return nora


@pytest.mark.parametrize("viewport", ALL)
def test_no_page_is_wider_than_the_screen(
    browser_page: BrowserPage, viewport: str, nora: User
) -> None:
    page = browser_page.page
    log_in(browser_page, nora.username)
    for path in ("/", "/explore/", f"/{nora.username}/", "/notifications/", "/accounts/settings/"):
        browser_page.goto(path)
        page.wait_for_load_state("load")
        expect(main_nav(page)).to_be_visible()
        assert overflow(page) <= 0, f"{path} is {overflow(page)} px too wide at {viewport}"
    assert not browser_page.errors, browser_page.errors


@pytest.mark.parametrize("viewport", ["small-phone", "phone"])
def test_the_bottom_bar_shows_its_destinations_and_the_top_bar_the_notifications(
    browser_page: BrowserPage, viewport: str, nora: User
) -> None:
    page = browser_page.page
    log_in(browser_page, nora.username)
    nav = main_nav(page)
    bar = nav.bounding_box()
    size = VIEWPORTS[viewport]
    assert bar is not None
    assert bar["y"] + bar["height"] == pytest.approx(size["height"], abs=1)
    assert bar["width"] == pytest.approx(size["width"], abs=1)
    for label in ("Home", "Search", "Create", "Profile"):
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert within_screen(box, viewport), (label, box)
        assert box is not None
        assert box["y"] >= bar["y"] - 0.5, (label, box)  # in the bar
        assert min(box["width"], box["height"]) >= 44, (label, box)  # a finger's size
    # The notifications, with their unread badge, sit at the right of the top bar.
    notes = page.get_by_role("link", name="Notifications")
    expect(notes).to_be_visible()
    expect(notes.locator("[data-notifications-count]")).to_have_text("1")
    top = page.get_by_role("banner").bounding_box()
    box = notes.bounding_box()
    assert top is not None
    assert box is not None
    assert top["y"] <= box["y"] <= box["y"] + box["height"] <= top["y"] + top["height"] + 0.5
    assert size["width"] / 2 < box["x"] <= box["x"] + box["width"] <= size["width"]
    # The sidebar's "More" menu is not there: it is under the profile.
    expect(nav.get_by_text("More")).to_be_hidden()
    browser_page.screenshot("nav-01-bottom-bar")


@pytest.mark.parametrize("viewport", ["small-phone", "phone"])
def test_on_a_phone_log_out_is_under_the_profile_and_asks_first(
    browser_page: BrowserPage, viewport: str, nora: User
) -> None:
    page = browser_page.page
    log_in(browser_page, nora.username)
    main_nav(page).get_by_role("link", name="Profile").click()
    page.get_by_role("banner").get_by_role("link", name="Settings and more").click()
    menu = page.get_by_role("navigation", name="Settings and more")
    for label in ("Settings", "Insights", "Moderation"):
        expect(menu.get_by_role("link", name=label)).to_be_visible()
    assert overflow(page) <= 0
    browser_page.screenshot("nav-02-menu")
    page.get_by_role("link", name="Log out").click()
    dialog = page.get_by_role("dialog", name="Log out of Glimpse?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    box = dialog.bounding_box()
    assert within_screen(box, viewport), box
    browser_page.screenshot("nav-03-logout-dialog")
    # Cancel keeps the session; confirming ends it.
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", name="Settings and more")).to_be_visible()
    page.get_by_role("link", name="Log out").click()
    dialog.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out. See you soon!")).to_be_visible()
    expect(page.get_by_role("link", name="Create an account")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop"])
def test_on_a_wide_screen_a_sidebar_with_a_more_menu(
    browser_page: BrowserPage, viewport: str, nora: User
) -> None:
    page = browser_page.page
    log_in(browser_page, nora.username)
    nav = main_nav(page)
    box = nav.bounding_box()
    assert box is not None
    assert (box["x"], box["height"]) == (0, pytest.approx(800, abs=1))
    expect(page.get_by_role("banner")).to_be_hidden()  # no top bar beside the sidebar
    for label in ("Home", "Search", "Create", "Profile"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    expect(nav.get_by_role("link", name="Settings")).to_be_hidden()
    nav.get_by_text("More").click()
    for label in ("Settings", "Insights", "Moderation", "Log out"):
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    browser_page.screenshot("nav-04-sidebar-more")
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Settings")).to_be_hidden()

    # Search is Explore, with its box on top.
    nav.get_by_role("link", name="Search").click()
    expect(page).to_have_url(browser_page.base_url + "/explore/")
    expect(page.get_by_role("combobox", name="Search")).to_be_visible()

    # Log out asks first: Escape keeps the session, the dialog's button ends it.
    nav.get_by_text("More").click()
    nav.get_by_role("link", name="Log out").click()
    dialog = page.get_by_role("dialog", name="Log out of Glimpse?")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(nav).to_be_visible()
    nav.get_by_text("More").click()
    nav.get_by_role("link", name="Log out").click()
    dialog.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out. See you soon!")).to_be_visible()


@pytest.mark.parametrize("viewport", ["phone"])
def test_without_javascript_log_out_is_a_page_that_asks(
    browser_page: BrowserPage, viewport: str, nora: User
) -> None:
    page = browser_page.page
    log_in(browser_page, nora.username)
    page.context.route("**/*.js", lambda route: route.abort())
    browser_page.goto("/accounts/menu/")
    page.get_by_role("link", name="Log out").click()
    expect(page).to_have_url(browser_page.base_url + "/accounts/logout/")
    expect(page.get_by_role("heading", name="Log out of Glimpse?")).to_be_visible()
    page.get_by_role("main").get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out. See you soon!")).to_be_visible()
