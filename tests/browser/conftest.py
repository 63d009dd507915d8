"""Real Chromium through Playwright, driving the live server; nothing leaves 127.0.0.1.

The live server is the project's ASGI application under uvicorn (HTTP and the /ws/
websocket in one process, like `make run`); Django's own live server speaks no websocket.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django would then refuse the
# database calls the tests make between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from playwright.sync_api import Browser, Page, Route, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
    "small-phone": {"width": 320, "height": 640},
}
PHONES = {"phone", "small-phone"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


# Module scope, not session: Playwright's event loop must be gone before the tests of
# other modules run in this process (async_to_sync refuses to run beside a live loop).
@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Launch the system's Chromium once per module of browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed at /usr/bin/chromium: run `make chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserPage:
    """A Playwright page at one viewport that records problems and saves screenshots."""

    def __init__(self, page: Page, viewport: str, base_url: str) -> None:
        self.page = page
        self.viewport = viewport
        self.base_url = base_url
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.shots: list[Path] = []

    def goto(self, path: str) -> None:
        """Open a path of the live server."""
        self.page.goto(self.base_url + path)

    def end_session(self) -> None:
        """Forget the logged-in account (its cookies), as when its session ends."""
        # Leave the page first. A page that has just loaded may not have run its deferred
        # live.js yet: it would then open /ws/ after the cookies are gone, and the server
        # rightly refuses that anonymous handshake (403, which Chromium reports as a
        # console error). No page of the old account may outlive its session.
        self.page.goto("about:blank")
        self.page.context.clear_cookies()

    def screenshot(self, name: str, *, whole_page: bool = True) -> Path:
        """Save a screenshot named after the page and the viewport: the whole page, or for
        a full-screen view (a story, Reels) the window as it is."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}-{self.viewport}.png"
        self.page.wait_for_load_state("load")  # styles and pictures included
        if not whole_page:
            self.page.screenshot(path=str(target))
            self.shots.append(target)
            return target
        # Grow the viewport to the whole page, so that the sticky top bar and the fixed
        # bottom bar sit where a reader expects them instead of over the middle.
        size = VIEWPORTS[self.viewport]
        self.page.evaluate("window.scrollTo(0, 0)")
        height = self.page.evaluate("document.documentElement.scrollHeight")
        full: ViewportSize = {"width": size["width"], "height": max(height, size["height"])}
        self.page.set_viewport_size(full)
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(target))
        self.page.set_viewport_size(size)
        self.shots.append(target)
        return target


@pytest.fixture
def asgi_server(settings: Any, transactional_db: None) -> Iterator[str]:
    """Serve the ASGI application (with static files) on a free local port; yield its URL."""
    from config.asgi import application

    # For HTTP requests. The websocket origin check (AllowedHostsOriginValidator) took its
    # list when config.asgi was first imported, so it relies on the defaults of the test
    # settings, which name 127.0.0.1 too.
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the ASGI server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser_page(chromium: Browser, asgi_server: str, viewport: str) -> Iterator[BrowserPage]:
    """Open a fresh browser context at the test's viewport, confined to the live server."""
    mobile = viewport in PHONES
    context = chromium.new_context(
        viewport=VIEWPORTS[viewport],
        device_scale_factor=1,
        is_mobile=mobile,
        has_touch=mobile,
        locale="en-US",
        color_scheme="light",
        service_workers="block",
    )
    page = context.new_page()
    wrapper = BrowserPage(page, viewport, asgi_server)

    def confine(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            wrapper.blocked.append(route.request.url)
            route.abort()

    def failed(response: Any) -> None:
        # Pages under test may answer 4xx on purpose; their assets never should.
        if response.status >= 400 and response.request.resource_type != "document":
            wrapper.errors.append(f"{response.status} {response.url}")

    context.route("**/*", confine)
    page.on("response", failed)
    page.on("pageerror", lambda error: wrapper.errors.append(f"page error: {error}"))

    def console(message: Any) -> None:
        # Failed loads are judged by the response listener, which knows their kind.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            wrapper.errors.append(f"console: {message.text}")

    page.on("console", console)
    page.set_default_timeout(10_000)
    try:
        yield wrapper
    finally:
        # Let requests still in flight (lazy previews, polling) finish before the test's
        # database and files are torn down under the live server's feet.
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()
    assert wrapper.blocked == [], f"requests outside 127.0.0.1: {wrapper.blocked}"
    assert wrapper.errors == [], f"asset or script errors: {wrapper.errors}"
