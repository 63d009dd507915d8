"""Two accounts in real Chromium: what one does reaches the other's open page live."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.graph import services as graph
from glimpse.notifications import selectors
from glimpse.posts import services as posts
from glimpse.stories import services as stories
from tests.browser.conftest import LOCAL_HOSTS, SCREENSHOTS, VIEWPORTS
from tests.posts.conftest import media_for

__all__ = ["media_for"]

pytestmark = pytest.mark.django_db(transaction=True)


def open_as(chromium: Browser, base_url: str, user: User) -> tuple[BrowserContext, Page, list]:
    """Open a page logged in as ``user`` (a session cookie), confined to 127.0.0.1."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport=VIEWPORTS["desktop"], color_scheme="light")
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    problems: list[str] = []

    def confine(route: Any) -> None:
        host = route.request.url.split("/")[2].split(":")[0]
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            problems.append(route.request.url)
            route.abort()

    context.route("**/*", confine)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.set_default_timeout(10_000)
    return context, page, problems


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)


def wait_until_listening(page: Page, frames: list[Any]) -> None:
    """Wait for the server's first websocket frame: the page's socket is then listening."""
    deadline = time.monotonic() + 10
    while not frames:
        assert time.monotonic() < deadline, "the page's websocket never became ready"
        page.wait_for_timeout(50)


def api_post(page: Page, token: str, path: str, body: dict[str, Any]) -> int:
    """Write through the JSON API from inside a page (so the server's own loop sends events)."""
    script = """async ([path, token, body]) => {
        const response = await fetch(path, {
            method: "POST",
            headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json"},
            body: JSON.stringify(body),
        });
        return response.status;
    }"""
    return int(page.evaluate(script, [path, token, body]))


def test_a_like_updates_the_other_accounts_badge_without_a_reload(
    chromium: Browser,
    asgi_server: str,
    make_user: Callable[..., User],
    media_for: Callable[..., list],
) -> None:
    ana, bo = make_user("ana"), make_user("bo")
    [media] = media_for(ana, 1)
    post = posts.post_create(author=ana, media_ids=[media.pk], caption="Sunset")

    ana_context, ana_page, ana_problems = open_as(chromium, asgi_server, ana)
    bo_context, bo_page, bo_problems = open_as(chromium, asgi_server, bo)
    try:
        frames: list[Any] = []
        ana_page.on(
            "websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame))
        )
        ana_page.goto(asgi_server + "/")
        wait_until_listening(ana_page, frames)
        badge = ana_page.locator("[data-notifications-badge]")
        expect(badge).to_be_hidden()
        ana_page.evaluate("() => { window.notReloaded = true; }")

        bo_page.goto(f"{asgi_server}/p/{post.pk}/")
        bo_page.get_by_role("button", name="Like", exact=True).first.click()
        expect(bo_page.get_by_role("button", name="Unlike", exact=True).first).to_be_visible()

        expect(badge).to_be_visible(timeout=10_000)
        expect(badge.locator("[data-notifications-count]")).to_have_text("1")
        assert ana_page.evaluate("() => window.notReloaded === true")  # no reload happened
        shot(ana_page, "notifications-badge")

        ana_page.goto(asgi_server + "/notifications/")
        expect(ana_page.locator(".note.is-unread")).to_have_count(1)
        expect(ana_page.locator(".note").first).to_contain_text("bo liked your post.")
        shot(ana_page, "notifications-page")
        # The page reads what it shows with a POST of its own (a GET changes nothing): the
        # badge goes as soon as the server has answered it.
        expect(ana_page.locator("[data-notifications-badge]")).to_be_hidden()
        expect(ana_page.locator("form[data-notifications-read]")).to_be_hidden()
        assert selectors.unread_count(viewer=ana) == 0
        ana_page.goto(asgi_server + "/")
        expect(ana_page.locator("[data-notifications-badge]")).to_be_hidden()
    finally:
        ana_context.close()
        bo_context.close()
    assert ana_problems == []
    assert bo_problems == []


def test_a_followed_accounts_story_and_post_reach_the_home_page_live(
    chromium: Browser,
    asgi_server: str,
    make_user: Callable[..., User],
    media_for: Callable[..., list],
) -> None:
    ana, bo = make_user("ana"), make_user("bo")
    first, story_media, second = media_for(ana, 3)
    posts.post_create(author=ana, media_ids=[first.pk], caption="Morning")
    graph.follow_create(follower=bo, followee=ana)
    _, token = token_create(user=ana, name="phone")

    ana_context, ana_page, ana_problems = open_as(chromium, asgi_server, ana)
    bo_context, bo_page, bo_problems = open_as(chromium, asgi_server, bo)
    try:
        frames: list[Any] = []
        bo_page.on(
            "websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame))
        )
        bo_page.goto(asgi_server + "/")
        wait_until_listening(bo_page, frames)
        expect(bo_page.locator('[data-tray-account="ana"]')).to_have_count(0)
        banner = bo_page.locator("[data-feed-new]")
        expect(banner).to_be_hidden()
        bo_page.evaluate("() => { window.notReloaded = true; }")

        ana_page.goto(asgi_server + "/")
        assert (
            api_post(ana_page, token, "/api/glimpse/v1/stories", {"media_id": str(story_media.pk)})
            == 201
        )
        entry = bo_page.locator('[data-tray-account="ana"]')
        expect(entry).to_be_visible(timeout=10_000)
        expect(entry.locator(".story-ring--unseen")).to_have_count(1)

        body = {"media_ids": [str(second.pk)], "caption": "Evening"}
        assert api_post(ana_page, token, "/api/glimpse/v1/posts", body) == 201
        expect(banner).to_be_visible(timeout=10_000)
        assert bo_page.evaluate("() => window.notReloaded === true")  # no reload happened
        shot(bo_page, "home-live-story-and-posts")

        banner.get_by_role("link", name="New posts").click()
        expect(bo_page.locator(".feed").get_by_text("Evening")).to_be_visible()
    finally:
        ana_context.close()
        bo_context.close()
    assert ana_problems == []
    assert bo_problems == []


def test_a_story_mention_opens_the_story_and_then_says_it_is_gone(
    chromium: Browser,
    asgi_server: str,
    make_user: Callable[..., User],
    media_for: Callable[..., list],
) -> None:
    ana, bo = make_user("ana"), make_user("bo")
    first, second = media_for(ana, 2)
    stories.story_create(author=ana, media_id=first.pk)
    sticker = {"kind": "mention", "x": 0.5, "y": 0.6, "username": "bo"}
    story = stories.story_create(author=ana, media_id=second.pk, stickers=[sticker])

    context, page, problems = open_as(chromium, asgi_server, bo)
    try:
        page.goto(asgi_server + "/notifications/")
        note = page.locator(".note").first
        expect(note).to_contain_text("ana mentioned you in their story.")
        note.get_by_role("link", name="View ana's story").click()
        viewer = page.locator(".sv-layer [data-story-viewer]")
        expect(viewer).to_be_visible()
        # Opened over the page at the story that mentions bo, not at the first one.
        expect(viewer.locator(f'[data-story="{story.pk}"]')).to_be_visible()
        expect(viewer.get_by_role("link", name="@bo")).to_be_visible()
        shot(page, "notifications-story-mention-opened")
        page.keyboard.press("Escape")
        expect(viewer).to_have_count(0)
        assert page.url == asgi_server + "/notifications/"

        stories.story_delete(actor=ana, story_id=story.pk)
        page.reload()
        page.locator(".note").first.get_by_role("link", name="View ana's story").click()
        expect(page.locator(".flash")).to_contain_text("This story is no longer available.")
        assert page.url == asgi_server + "/notifications/"
        expect(page.locator(".note").first).to_contain_text("ana mentioned you in their story.")
    finally:
        context.close()
    assert problems == []
