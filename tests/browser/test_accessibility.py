"""axe-core on the pages people use every day: no serious or critical violation, on a phone
and on a desktop, in light and in dark."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from glimpse.graph import services as graph_services
from glimpse.posts import services as post_services
from glimpse.stories import services as story_services
from tests.browser.axe import serious_violations
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.posts.conftest import media_for

__all__ = ["media_for"]  # a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_everyday_pages_have_no_serious_accessibility_violation(
    browser_page: BrowserPage, viewport: str, make_user: Any, media_for: Any
) -> None:
    page = browser_page.page
    ana = make_user("ana", display_name="Ana Lima")
    rita = make_user("rita", display_name="Rita Sol")
    graph_services.follow_create(follower=ana, followee=rita)
    graph_services.follow_create(follower=rita, followee=ana)  # a notification for ana
    [photo] = media_for(rita, 1)
    post = post_services.post_create(
        author=rita, media_ids=[photo.pk], caption="Morning light #sea with @ana"
    )
    post_services.comment_create(author=ana, post_id=post.pk, text="Lovely!")
    [story_photo] = media_for(rita, 1)
    story_services.story_create(author=rita, media_id=story_photo.pk)

    log_in(browser_page, "ana")
    pages = {
        "feed": reverse("home"),
        "post": reverse("posts:detail", kwargs={"post_id": post.pk}),
        "profile": reverse("profile", kwargs={"username": "rita"}),
        "story viewer": reverse("stories:viewer", kwargs={"username": "rita"}),
        "composer": reverse("media:composer"),
        "search": reverse("search:page") + "?q=rit",
        "notifications": reverse("notifications:list"),
        "settings": reverse("accounts:settings"),
    }
    found: dict[str, list[str]] = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, path in pages.items():
            browser_page.goto(path)
            expect(page.locator("main")).to_be_visible()
            page.wait_for_load_state("load")
            violations = serious_violations(page, browser_page.base_url)
            if violations:
                found[f"{name}, {scheme}"] = violations
    report = [f"{where}: {violation}" for where, list_ in found.items() for violation in list_]
    assert report == [], "\n".join(report)
