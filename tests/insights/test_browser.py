"""Insights in real Chromium: a share recorded from the post page shows on the author's page."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from glimpse.accounts.models import User
from glimpse.insights import services
from glimpse.insights.models import ShareEvent
from glimpse.posts import services as posts
from tests.browser.conftest import LOCAL_HOSTS, SCREENSHOTS, VIEWPORTS, asgi_server, chromium
from tests.posts.conftest import media_for

__all__ = ["asgi_server", "chromium", "media_for"]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_as(chromium: Browser, asgi_server: str) -> Iterator[Callable[[User], Page]]:
    """Open pages logged in as an account, confined to the live server; fail on any leak."""
    contexts, problems = [], []

    def confine(route: Any) -> None:
        host = route.request.url.split("/")[2].split(":")[0]
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            problems.append(route.request.url)
            route.abort()

    def make(user: User) -> Page:
        client = Client()
        client.force_login(user)
        context = chromium.new_context(viewport=VIEWPORTS["desktop"], color_scheme="light")
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        name = django_settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": cookie, "url": asgi_server}])
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=asgi_server)
        context.route("**/*", confine)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == []


def test_a_copied_link_counts_as_a_share_on_the_insights_page(
    asgi_server: str,
    open_as: Callable[[User], Page],
    make_user: Callable[..., User],
    media_for: Callable[..., list],
) -> None:
    ana, bo = make_user("ana"), make_user("bo")
    [media] = media_for(ana, 1)
    post = posts.post_create(author=ana, media_ids=[media.pk], caption="Harbour #sea")

    page = open_as(bo)
    page.goto(f"{asgi_server}/p/{post.pk}/")
    page.locator("summary[aria-label=Share]").click()
    page.locator("[data-copy-post]").click()
    deadline = time.monotonic() + 30  # a busy machine answers late, but it answers
    while not ShareEvent.objects.filter(post=post, sharer=bo).exists():
        assert time.monotonic() < deadline, "the share was never recorded"
        time.sleep(0.05)
    services.impressions_flush()

    mine = open_as(ana)
    mine.goto(f"{asgi_server}/insights/?days=7")
    expect(mine.locator('[data-stat="shares"]')).to_have_text("1")
    expect(mine.locator('[data-stat="impressions"]')).to_have_text("1")  # bo's post page
    expect(mine.locator("svg.chart").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    mine.screenshot(path=str(SCREENSHOTS / "insights-account-desktop.png"), full_page=True)
    mine.goto(f"{asgi_server}/p/{post.pk}/")
    mine.get_by_role("link", name="View insights").click()
    expect(mine.locator('[data-stat="shares"]')).to_have_text("1")
