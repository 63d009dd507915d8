"""The installable app in a real Chromium: its worker, its manifest, offline, the share target.

The other browser tests block service workers (each page must work without one); these
allow them, in a context of their own that records any request leaving 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from tests.browser.conftest import LOCAL_HOSTS, VIEWPORTS
from tests.conftest import PASSWORD
from tests.posts.conftest import small_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A promise that fails after 15 s: awaiting the service worker must fail, never hang (an
# evaluation has no time limit of its own).
TIME_LIMIT_JS = (
    "new Promise((_, fail) => setTimeout(() => fail(new Error('no service worker in 15 s')), "
    "15000))"
)


class App:
    """A phone-sized browser context where service workers run."""

    def __init__(self, context: BrowserContext, page: Page, base_url: str) -> None:
        self.context = context
        self.page = page
        self.base_url = base_url
        self.outside: list[str] = []
        self.errors: list[str] = []

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def worker_ready(self) -> str:
        """Wait for the service worker to be active and to control the page; return its URL."""
        url: str = self.page.evaluate(
            f"async () => Promise.race([navigator.serviceWorker.ready, {TIME_LIMIT_JS}])"
            ".then((ready) => ready.active.scriptURL)"
        )
        # Activated, it claims the pages open then; but a page whose loading overlapped the
        # activation (the page after logging in, say) can be passed over, and stays
        # uncontrolled until its next load. The next load under an active worker is
        # always controlled.
        if not self.page.evaluate("navigator.serviceWorker.controller !== null"):
            self.page.reload()
        assert self.page.evaluate("navigator.serviceWorker.controller !== null")
        return url


@pytest.fixture
def app(chromium: Browser, asgi_server: str) -> Iterator[App]:
    context = chromium.new_context(
        viewport=VIEWPORTS["phone"],
        is_mobile=True,
        has_touch=True,
        locale="en-US",
        service_workers="allow",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    wrapper = App(context, page, asgi_server)

    def request(sent: Any) -> None:
        host = urlsplit(sent.url).hostname or ""
        if host not in LOCAL_HOSTS and not sent.url.startswith(("data:", "blob:")):
            wrapper.outside.append(sent.url)

    page.on("request", request)
    page.on("pageerror", lambda error: wrapper.errors.append(str(error)))
    try:
        yield wrapper
    finally:
        context.close()
    assert wrapper.outside == []
    assert wrapper.errors == []


def log_in(app: App, user: User) -> None:
    app.goto("/accounts/login/")
    app.page.get_by_label("Username or email").fill(user.username)
    app.page.get_by_label("Password").fill(PASSWORD)
    app.page.get_by_role("button", name="Log in").click()
    expect(app.page.get_by_role("heading", name=f"Welcome, {user.name}")).to_be_visible()


def test_the_worker_registers_the_manifest_parses_and_offline_shows_the_offline_page(
    app: App,
) -> None:
    page = app.page
    app.goto("/accounts/login/")
    assert app.worker_ready() == app.base_url + "/sw.js"
    scope = page.evaluate(
        f"async () => Promise.race([navigator.serviceWorker.ready, {TIME_LIMIT_JS}])"
        ".then((ready) => ready.scope)"
    )
    assert scope == app.base_url + "/"

    # The browser's own reading of the manifest: no error, and what it says.
    cdp = app.context.new_cdp_session(page)
    found = cdp.send("Page.getAppManifest")
    assert found["url"] == app.base_url + "/manifest.webmanifest"
    assert found["errors"] == []
    manifest = json.loads(found["data"])
    assert manifest["name"] == "Glimpse"
    assert manifest["share_target"]["action"] == "/create/share/"

    # The shell is in the worker's cache, named after the static files' version.
    cached = page.evaluate(
        """async () => {
          const names = await caches.keys();
          const shell = names.find((name) => name.startsWith("glimpse-shell-"));
          const cache = await caches.open(shell);
          return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )
    assert "/offline/" in cached
    assert "/static/css/glimpse.css" in cached

    # Offline: a page that cannot be reached shows the offline page, styled, at its URL.
    app.context.set_offline(True)
    app.goto("/explore/")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    assert page.url == app.base_url + "/explore/"
    assert page.evaluate("getComputedStyle(document.body).display") == "flex"  # glimpse.css
    assert page.evaluate("getComputedStyle(document.querySelector('.offline')).marginTop") != "0px"

    # Still offline, "Try again" shows the offline page again.
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()

    # Back online, the page tries again by itself. Playwright's offline mode cuts the
    # network but leaves navigator.onLine alone: the event a phone fires is sent here.
    app.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("heading", name="You're offline")).to_be_hidden()
    # The real page answered: Explore asks an anonymous visitor to log in first.
    expect(page).to_have_url(app.base_url + "/accounts/login/?next=/explore/")


def test_a_photo_shared_from_the_gallery_opens_in_the_composer(
    app: App, make_user: Any, tmp_path: Path
) -> None:
    page = app.page
    user = make_user("mira", display_name="Mira Sol")
    log_in(app, user)
    app.worker_ready()
    photo = tmp_path / "gallery.jpg"
    photo.write_bytes(small_jpeg(7, size=(800, 600)))

    # What the phone's share sheet sends: a multipart POST to the manifest's action.
    page.evaluate(
        """() => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = "/create/share/";
          form.enctype = "multipart/form-data";
          form.id = "share";
          form.innerHTML = '<input type="file" name="media"><input name="text">';
          document.body.append(form);
        }"""
    )
    page.locator("#share input[type=file]").set_input_files(str(photo))
    page.locator("#share input[name=text]").fill("From my gallery")
    page.evaluate("document.getElementById('share').submit()")

    # The worker kept the file and opened the composer, which took it and uploaded it.
    expect(page).to_have_url(app.base_url + "/create/")
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    item = MediaItem.objects.get(owner=user)
    assert (item.width, item.height) == (800, 600)
    expect(page.locator("#caption")).to_have_value("From my gallery")
    assert page.evaluate("caches.has('glimpse-share')") is False
