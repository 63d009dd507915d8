"""Sign up, log out, log in, edit the profile and see it, in a real browser."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import FilePayload, expect

from glimpse.accounts import services
from glimpse.accounts.models import ApiToken, User
from tests.browser.conftest import BrowserPage

PASSWORD = "a-long-and-unusual-passphrase"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def small_jpeg() -> bytes:
    """Return a real JPEG to use as a profile photo."""
    image = Image.new("RGB", (400, 300), (250, 180, 90))
    for y in range(0, 300, 30):
        image.paste((90, 60, 200), (0, y, 400, y + 12))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def nav(browser_page: BrowserPage, label: str) -> Any:
    """Return the link or button of the main navigation with this label."""
    return browser_page.page.get_by_role("navigation", name="Main").get_by_role("link", name=label)


def account_menu(browser_page: BrowserPage, label: str) -> Any:
    """Return a link of what sits under the profile: the sidebar's "More" menu on a wide
    screen, the "Settings and more" page (from the profile's top bar) on a phone."""
    page = browser_page.page
    if browser_page.viewport == "desktop":
        page.get_by_role("navigation", name="Main").get_by_text("More").click()
        return page.get_by_role("navigation", name="Main").get_by_role("link", name=label)
    nav(browser_page, "Profile").click()
    page.get_by_role("banner").get_by_role("link", name="Settings and more").click()
    # The menu's scripts (the log-out confirmation) run before "load": a busy machine may
    # show the page before they do.
    expect(page).to_have_url(re.compile(r"/accounts/menu/$"))
    page.wait_for_load_state("load")
    return page.get_by_role("main").get_by_role("link", name=re.compile(f"^{label}"))


def log_out(browser_page: BrowserPage) -> None:
    """Log out from the account menu, confirming in the dialog."""
    page = browser_page.page
    account_menu(browser_page, "Log out").click()
    dialog = page.get_by_role("dialog", name="Log out of Glimpse?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out. See you soon!")).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_sign_up_log_in_edit_profile(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    username = f"mira.{viewport}"
    # Two accounts already there, to fill the "New on Glimpse" list.
    lena = make_user("lena", display_name="Lena Park")
    services.avatar_set(user=lena, upload=io.BytesIO(small_jpeg()), size_bytes=len(small_jpeg()))
    make_user("tomas", display_name="Tomás Ferreira", is_private=True)

    # Landing page, for a visitor.
    browser_page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Share the moments")
    browser_page.screenshot("01-landing")

    # Sign up through the form.
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(browser_page.base_url + "/accounts/signup/")
    browser_page.screenshot("02-signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text(f"Welcome to Glimpse, @{username}!")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()
    assert User.objects.filter(username=username).exists()
    newest = page.get_by_role("region", name="New on Glimpse")
    expect(newest.get_by_role("link", name="lena Lena Park")).to_have_attribute("href", "/lena/")
    expect(newest.get_by_role("img", name="lena's profile picture")).to_be_visible()
    expect(newest.get_by_text("Tomás Ferreira")).to_be_visible()
    browser_page.screenshot("03-home")

    # Log out with the navigation button (a POST form), then log back in by email.
    log_out(browser_page)
    expect(page.get_by_role("link", name="Create an account")).to_be_visible()
    nav(browser_page, "Log in").click()
    browser_page.screenshot("04-login")
    page.get_by_label("Username or email").fill(f"{username.upper()}@EXAMPLE.COM")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()

    # The profile, still empty.
    nav(browser_page, "Profile").click()
    expect(page.get_by_role("heading", name=username, exact=True)).to_be_visible()
    expect(page.get_by_text("No posts yet")).to_be_visible()
    browser_page.screenshot("05-profile-empty")

    # Edit the profile: name, bio (with its live counter), website; then a photo.
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", name="Edit profile")).to_be_visible()
    page.get_by_label("Name").fill("Mira Sol")
    bio = "Chasing light across the Alps. Film and digital."
    page.get_by_label("Bio").fill(bio)
    expect(page.locator("#bio-counter")).to_have_text(f"{len(bio)} / 150")
    page.get_by_label("Website").fill("mira.example")
    browser_page.screenshot("06-edit")
    page.get_by_role("button", name="Save").click()

    # The profile page shows the change.
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("Mira Sol", exact=True)).to_be_visible()
    expect(page.get_by_text(bio)).to_be_visible()
    website = page.get_by_role("link", name="mira.example")
    expect(website).to_have_attribute("href", "https://mira.example")
    expect(website).to_have_attribute("rel", "nofollow noopener")
    user = User.objects.get(username=username)
    assert (user.display_name, user.bio, user.website) == ("Mira Sol", bio, "https://mira.example")

    # Change the photo: picking a file opens its crop; saving uploads it.
    page.get_by_role("link", name="Edit profile").click()
    page.wait_for_load_state()
    photo: FilePayload = {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": small_jpeg()}
    page.locator("input[type=file]").set_input_files(files=[photo])
    page.get_by_role("dialog").get_by_role("button", name="Save photo").click()
    expect(page.get_by_text("Your profile photo is updated.")).to_be_visible()
    expect(page.get_by_role("button", name="Remove photo")).to_be_visible()
    user.refresh_from_db()
    assert user.avatar_version
    browser_page.screenshot("07-edit-with-photo")
    nav(browser_page, "Profile").click()
    avatar = page.get_by_role("img", name=f"{username}'s profile picture")
    expect(avatar).to_be_visible()
    assert avatar.evaluate("image => image.decode().then(() => image.naturalWidth)") == 320
    browser_page.screenshot("08-profile")

    # Settings: create an API token, shown once.
    account_menu(browser_page, "Settings").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    browser_page.screenshot("09-settings")
    page.get_by_label("Token name").fill("Backup script")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("New token").input_value()
    assert secret.startswith(ApiToken.objects.get(user=user, name="Backup script").prefix)
    expect(page.get_by_text("will not be shown again")).to_be_visible()
    browser_page.screenshot("10-settings-new-token")

    # Password reset, from the log-in page.
    log_out(browser_page)
    nav(browser_page, "Log in").click()
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Trouble logging in?")).to_be_visible()
    browser_page.screenshot("11-password-reset")
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    browser_page.screenshot("12-password-reset-sent")
    assert len(mail.outbox) == 1

    # A missing page.
    browser_page.goto("/nobody.at.all/")
    expect(page.get_by_role("heading", name="Sorry, this page isn't available.")).to_be_visible()
    browser_page.screenshot("13-not-found")


@pytest.mark.parametrize("viewport", ["phone"])
def test_phone_navigation_is_a_bottom_bar(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    make_user("tess")
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill("tess")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, tess")).to_be_visible()
    page.wait_for_load_state("load")
    bar = page.get_by_role("navigation", name="Main").bounding_box()
    assert bar is not None
    assert bar["y"] + bar["height"] == pytest.approx(844, abs=1)
    assert bar["width"] == pytest.approx(390, abs=1)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_errors_show_next_to_fields_and_reset_link_sets_a_password(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    make_user("ana", display_name="Ana Lima")

    # A taken username and a weak password: both messages, no account created.
    browser_page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("ANA")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("This username is taken. Try another one.")).to_be_visible()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    assert User.objects.count() == 1
    browser_page.screenshot("14-signup-errors")

    # Wrong password on the log-in page.
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill("ana")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The username or password is not right.")).to_be_visible()
    browser_page.screenshot("15-login-error")

    # The emailed link opens the form for a new password.
    browser_page.goto("/accounts/password-reset/")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/reset/\S+/", str(mail.outbox[0].body))
    assert link is not None
    browser_page.goto(link.group(0))
    expect(page).to_have_url(re.compile(r"/set-password/$"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password, again").fill("short")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("This password is too short.", exact=False)).to_be_visible()
    browser_page.screenshot("16-password-reset-confirm-error")
    page.get_by_label("New password", exact=True).fill("a-brand-new-passphrase")
    page.get_by_label("New password, again").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    browser_page.screenshot("17-password-reset-complete")
    assert User.objects.get(username="ana").check_password("a-brand-new-passphrase")

    # Logged in again, an overlong bio is refused next to its field.
    page.get_by_role("link", name="Log in", exact=True).last.click()
    page.get_by_label("Username or email").fill("ana")
    page.get_by_label("Password").fill("a-brand-new-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Ana Lima")).to_be_visible()
    browser_page.goto("/accounts/edit/")
    bio = page.get_by_label("Bio")
    # The browser stops typing at 150 characters; remove the cap to reach the server check.
    bio.evaluate("area => area.removeAttribute('maxlength')")
    bio.fill("x" * 151)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A bio has at most 150 characters.")).to_be_visible()
    assert User.objects.get(username="ana").bio == ""
    browser_page.screenshot("18-edit-error")
