"""Direct messages in real Chromium: two accounts chatting live in two browsers (send, the
badge, react, a story reply, unsend), and the pages on phones and a desktop, light and dark,
with no horizontal overflow and no serious accessibility violation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.messages import services as messages
from glimpse.messages.models import Message
from glimpse.moderation.models import Report
from glimpse.posts import services as posts
from glimpse.stories import services as stories
from tests.browser.axe import serious_violations
from tests.browser.conftest import LOCAL_HOSTS, SCREENSHOTS, VIEWPORTS, BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.browser.test_notifications_flow import wait_until_listening
from tests.posts.conftest import media_for

__all__ = ["media_for"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW_JS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def open_as(
    chromium: Browser, base_url: str, user: User, viewport: str = "desktop"
) -> tuple[BrowserContext, Page, list[str]]:
    """Open a page logged in as ``user`` (a session cookie), confined to 127.0.0.1."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(
        viewport=VIEWPORTS[viewport], color_scheme="light", service_workers="block"
    )
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
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


def listening(page: Page) -> list[Any]:
    """Record the websocket frames a page receives (its socket is ready at the first)."""
    frames: list[Any] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(frame)))
    return frames


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"))


def test_two_accounts_chat_live(
    chromium: Browser,
    asgi_server: str,
    make_user: Callable[..., User],
    media_for: Callable[..., list],
) -> None:
    ana = make_user("ana", display_name="Ana Lima")
    bo = make_user("bo", display_name="Bo Berg")
    graph.follow_create(follower=ana, followee=bo)
    graph.follow_create(follower=bo, followee=ana)
    [story_photo] = media_for(ana, 1)
    stories.story_create(author=ana, media_id=story_photo.pk)
    conversation, _ = messages.conversation_start(actor=bo, usernames=["ana"])
    messages.message_send(actor=bo, conversation_id=conversation.pk, text="Hi Ana!")
    thread_url = asgi_server + reverse("messages:conversation", args=[conversation.pk])

    ana_context, ana_page, ana_problems = open_as(chromium, asgi_server, ana)
    bo_context, bo_page, bo_problems = open_as(chromium, asgi_server, bo)
    try:
        ana_frames, bo_frames = listening(ana_page), listening(bo_page)
        # Bo is elsewhere: his badge says nothing is unread (the last message is his).
        bo_page.goto(asgi_server + "/")
        wait_until_listening(bo_page, bo_frames)
        badge = bo_page.locator("[data-messages-badge]")
        expect(badge).to_be_hidden()
        bo_page.evaluate("() => { window.notReloaded = true; }")

        # Ana sends from the conversation's composer.
        ana_page.goto(thread_url)
        wait_until_listening(ana_page, ana_frames)
        expect(ana_page.locator(".msg").first).to_contain_text("Hi Ana!")
        composer = ana_page.get_by_label("Message", exact=True)
        composer.fill("Hello Bo")
        composer.press("Enter")
        mine = ana_page.locator(".msg--own").filter(has_text="Hello Bo")
        expect(mine).to_have_count(1)
        expect(mine).not_to_have_class("is-pending")

        # Bo's badge counts it without a reload.
        expect(badge).to_be_visible()
        expect(badge.locator("[data-messages-count]")).to_have_text("1")
        assert bo_page.evaluate("() => window.notReloaded === true")
        expect(bo_page.get_by_role("link", name="Messages, 1 unread")).to_be_visible()

        # Bo opens the conversation; what Ana sends next appears there without a reload.
        bo_frames.clear()
        bo_page.goto(thread_url)
        wait_until_listening(bo_page, bo_frames)
        expect(bo_page.locator(".msg").filter(has_text="Hello Bo")).to_have_count(1)
        bo_page.evaluate("() => { window.notReloaded = true; }")
        composer.fill("Are you coming on Saturday?")
        composer.press("Enter")
        question = bo_page.locator(".msg").filter(has_text="Are you coming on Saturday?")
        expect(question).to_have_count(1)
        assert bo_page.evaluate("() => window.notReloaded === true")
        # Bo's page read it, and Ana sees that it was seen; Bo's badge is gone.
        expect(ana_page.locator("[data-seen]")).to_have_text("Seen")
        expect(bo_page.locator("[data-messages-badge]")).to_be_hidden()

        # Bo reacts to it from its menu; the reaction reaches Ana's page.
        question.locator(".msg__col").click(button="right")
        menu = bo_page.get_by_role("menu", name="Message options")
        expect(menu).to_be_visible()
        expect(menu.get_by_role("menuitem", name="Unsend")).to_be_hidden()  # not his
        menu.get_by_role("menuitem", name="React with ❤️").click()
        asked = ana_page.locator(".msg").filter(has_text="Are you coming on Saturday?")
        expect(asked.locator('[data-reaction="❤️"]')).to_be_visible()
        shot(ana_page, "messages-live-reaction")

        # Bo reports it from the same menu: the moderation's form, then back to the chat.
        question.locator(".msg__col").click(button="right")
        menu.get_by_role("menuitem", name="Report").click()
        expect(bo_page.get_by_role("heading", name="Report this message")).to_be_visible()
        bo_page.get_by_label("Spam").check()
        bo_page.get_by_role("button", name="Send report").click()
        expect(bo_page.get_by_text("Thanks for telling us.")).to_be_visible()
        assert bo_page.url == thread_url
        assert Report.objects.filter(target_type="message", reporter=bo).count() == 1

        # Bo answers Ana's story from the story viewer; it lands in the conversation.
        bo_page.goto(asgi_server + reverse("stories:viewer", args=["ana"]))
        reply = bo_page.get_by_label("Reply to ana")
        reply.fill("What a view!")
        reply.press("Enter")
        answer = ana_page.locator(".msg").filter(has_text="What a view!")
        expect(answer).to_have_count(1)
        expect(answer.locator(".msg__context")).to_have_text("Replied to your story")
        expect(answer.locator(".share-card--story")).to_be_visible()
        shot(ana_page, "messages-live-story-reply")

        # Ana unsends her question: it is gone from Bo's open page.
        bo_frames.clear()
        bo_page.goto(thread_url)
        wait_until_listening(bo_page, bo_frames)
        expect(question).to_have_count(1)
        asked.locator(".msg__col").click(button="right")
        own_menu = ana_page.get_by_role("menu", name="Message options")
        expect(own_menu.get_by_role("menuitem", name="Report")).to_be_hidden()  # her own
        own_menu.get_by_role("menuitem", name="Unsend").click()
        confirm = ana_page.get_by_role("dialog", name="Unsend message?")
        confirm.get_by_role("button", name="Unsend").click()
        expect(asked).to_have_count(0)
        expect(question).to_have_count(0)
        assert not Message.objects.filter(text="Are you coming on Saturday?").exists()
        expect(bo_page.locator(".msg").filter(has_text="What a view!")).to_have_count(1)
    finally:
        ana_context.close()
        bo_context.close()
    assert ana_problems == []
    assert bo_problems == []


@pytest.mark.parametrize("viewport", ["phone", "small-phone", "desktop"])
def test_the_pages_on_phones_and_desktops_in_light_and_dark(
    browser_page: BrowserPage, viewport: str, make_user: Callable[..., User], media_for: Any
) -> None:
    page = browser_page.page
    ana = make_user("ana", display_name="Ana Lima")
    bo = make_user("bo", display_name="Bo Berg")
    cy = make_user("cy", display_name="Cyrille Montgomery-Fairweather")
    dee = make_user("dee", display_name="Dee")
    for other in (bo, cy):
        graph.follow_create(follower=ana, followee=other)
        graph.follow_create(follower=other, followee=ana)
    [photo] = media_for(bo, 1)
    post = posts.post_create(author=bo, media_ids=[photo.pk], caption="Low tide at the harbour")
    direct, _ = messages.conversation_start(actor=bo, usernames=["ana"])
    first = messages.message_send(
        actor=bo,
        conversation_id=direct.pk,
        text="Look at this one, and https://example.org/a/long/path/without/any/space/at/all",
    )
    messages.message_send(actor=bo, conversation_id=direct.pk, text="", shared_post_id=post.pk)
    answer = messages.message_send(
        actor=ana, conversation_id=direct.pk, text="Beautiful light!", reply_to_id=first.pk
    )
    messages.message_react(actor=bo, message_id=answer.pk, emoji="❤️")
    group, _ = messages.conversation_start(
        actor=ana, usernames=["bo", "cy"], name="Saturday climbing crew"
    )
    messages.message_send(actor=cy, conversation_id=group.pk, text="I'll bring the rope")
    request, _ = messages.conversation_start(actor=dee, usernames=["ana"])
    messages.message_send(actor=dee, conversation_id=request.pk, text="Hi! Do you sell prints?")

    log_in(browser_page, "ana")
    pages = {
        "inbox": (reverse("messages:inbox"), True),
        "conversation": (reverse("messages:conversation", args=[direct.pk]), False),
        "group": (reverse("messages:conversation", args=[group.pk]), False),
        "requests": (reverse("messages:requests"), True),
        "details": (reverse("messages:details", args=[group.pk]), True),
        "new": (reverse("messages:new") + "?q=b", True),
        "settings": (reverse("messages:settings"), True),
    }
    found: dict[str, list[str]] = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, (path, whole) in pages.items():
            browser_page.goto(path)
            expect(page.locator("main")).to_be_visible()
            page.wait_for_load_state("load")
            assert page.evaluate(OVERFLOW_JS) <= 0, f"{name} overflows at {viewport}"
            browser_page.screenshot(f"messages-{name}-{scheme}", whole_page=whole)
            violations = serious_violations(page, browser_page.base_url)
            if violations:
                found[f"{name}, {scheme}"] = violations

        # The "Send to…" sheet, opened from the post's share menu.
        browser_page.goto(reverse("posts:detail", args=[post.pk]))
        page.locator(".share > summary").first.click()
        page.get_by_role("link", name="Send to…").click()
        sheet = page.get_by_role("dialog", name="Send post")
        expect(sheet).to_be_visible()
        expect(sheet.get_by_text("Bo Berg")).to_be_visible()
        box = sheet.bounding_box()
        size = VIEWPORTS[viewport]
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= size["width"] + 0.5
        browser_page.screenshot(f"messages-send-sheet-{scheme}", whole_page=False)
        violations = serious_violations(page, browser_page.base_url)
        if violations:
            found[f"send sheet, {scheme}"] = violations
        page.keyboard.press("Escape")
        expect(sheet).to_be_hidden()
    report = [f"{where}: {violation}" for where, list_ in found.items() for violation in list_]
    assert report == [], "\n".join(report)
