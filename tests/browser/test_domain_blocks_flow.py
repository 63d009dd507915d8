"""In real Chromium: a moderator suspends a server after confirming, and a person blocks a
server from settings; each page fits a 320-pixel phone, light and dark."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import Browser, Page, expect

from glimpse.accounts.services import remote_account_create
from glimpse.federation.domain_blocks.models import DomainBlock
from glimpse.graph.models import AccountDomainBlock
from tests.browser.conftest import SCREENSHOTS, VIEWPORTS
from tests.browser.test_notifications_flow import open_as

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "a-very-long-server-name-that-keeps-going.social.example"


def fits_and_shots(page: Page, name: str) -> None:
    """Save the page at each viewport, light and dark, and check nothing overflows sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport, size in VIEWPORTS.items():
        for scheme in ("light", "dark"):
            page.set_viewport_size(size)
            page.emulate_media(color_scheme=scheme)
            page.reload()
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= size["width"], (name, viewport, width)
            page.screenshot(
                path=str(SCREENSHOTS / f"{name}-{viewport}-{scheme}.png"), full_page=True
            )
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.emulate_media(color_scheme="light")


def test_a_moderator_suspends_a_server_after_confirming(
    chromium: Browser, asgi_server: str, make_user: Any
) -> None:
    mod = make_user("mod")
    mod.user_permissions.add(Permission.objects.get(codename="moderate"))
    remote_account_create(
        username="bob@spam.test",
        display_name="",
        bio="",
        is_private=False,
        remote_url="https://spam.test/users/bob",
    )
    DomainBlock.objects.create(domain=LONG, severity="silence", public_comment="Unmoderated")
    context, page, problems = open_as(chromium, asgi_server, mod)
    page.goto(f"{asgi_server}/moderation/domains/")
    page.get_by_label("Domain").fill("spam.test")
    page.get_by_label("Suspend").check()
    page.get_by_label("Public reason").fill("Spam and harassment")
    page.get_by_role("button", name="Block server").click()
    expect(page.get_by_role("heading", name="Suspend spam.test?")).to_be_visible()
    expect(page.get_by_text("account of this server")).to_be_visible()
    assert not DomainBlock.objects.filter(domain="spam.test").exists()
    fits_and_shots(page, "domain-block-confirm")
    page.get_by_role("button", name="Suspend spam.test").click()
    expect(page.get_by_text("Done: spam.test is suspended.")).to_be_visible()
    assert DomainBlock.objects.get(domain="spam.test").severity == "suspend"
    fits_and_shots(page, "domain-blocks")
    page.get_by_role("link", name=LONG).click()
    fits_and_shots(page, "domain-block-edit")
    context.close()
    assert problems == []


def test_a_person_blocks_a_server_from_settings(
    chromium: Browser, asgi_server: str, make_user: Any
) -> None:
    ana = make_user("ana")
    AccountDomainBlock.objects.create(owner=ana, domain=LONG)
    context, page, problems = open_as(chromium, asgi_server, ana)
    page.goto(f"{asgi_server}/accounts/settings/")
    page.get_by_role("link", name="Open").nth(2).click()
    expect(page.get_by_role("heading", name="Blocked servers")).to_be_visible()
    page.get_by_label("Domain").fill("not a domain")
    page.get_by_role("button", name="Block server").click()
    expect(page.get_by_text("like example.social")).to_be_visible()
    fits_and_shots(page, "blocked-servers-error")
    page.get_by_label("Domain").fill("bad.test")
    page.get_by_role("button", name="Block server").click()
    expect(page.get_by_text("You blocked bad.test.")).to_be_visible()
    fits_and_shots(page, "blocked-servers")
    page.get_by_role("button", name="Unblock bad.test").click()
    expect(page.get_by_text("You unblocked bad.test.")).to_be_visible()
    assert list(AccountDomainBlock.objects.values_list("domain", flat=True)) == [LONG]
    context.close()
    assert problems == []
