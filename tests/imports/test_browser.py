"""The "Import your posts" section in a real browser: upload, the polled progress bar, the
report with its offers, at three widths, light and dark; nothing runs off the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from glimpse.imports.models import ArchiveImport
from tests.browser.conftest import BrowserPage, asgi_server, browser_page, chromium
from tests.conftest import PASSWORD

__all__ = ["asgi_server", "browser_page", "chromium"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "your_instagram_activity/content/posts_1.json, post 12 of a rather long archive name"


def log_in(browser_page: BrowserPage, username: str) -> None:
    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(browser_page.base_url + "/")


def fits(browser_page: BrowserPage) -> None:
    page = browser_page.page
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("innerWidth")


@pytest.mark.parametrize("viewport", ["desktop", "phone", "small-phone"])
def test_progress_then_report_with_offers(
    browser_page: BrowserPage, viewport: str, make_user: Any
) -> None:
    page = browser_page.page
    ana = make_user("ana")
    log_in(browser_page, "ana")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        ArchiveImport.objects.filter(user=ana).delete()
        job = ArchiveImport.objects.create(
            user=ana, file_name=f"imports/{ana.pk}/a.zip", status="running", progress=30
        )
        page.goto("about:blank")  # the same address with its #fragment would not reload
        browser_page.goto("/accounts/settings/#import")
        bar = page.get_by_role("progressbar", name="Import progress")
        expect(bar).to_have_attribute("aria-valuenow", "30")
        ArchiveImport.objects.filter(pk=job.pk).update(progress=80)
        expect(bar).to_have_attribute("aria-valuenow", "80")  # polled, no reload
        page.locator("#import").scroll_into_view_if_needed()
        fits(browser_page)
        browser_page.screenshot(f"imports-01-running-{scheme}")
        ArchiveImport.objects.filter(pk=job.pk).update(
            status="done",
            source="instagram",
            progress=100,
            finished_at=timezone.now(),
            offered_bio="Fot\u00f3grafa in Lisboa \U0001f4f7 " + "long-unbroken-word" * 4,
            offered_picture=f"imports/{ana.pk}/1-picture.jpg",
            report={
                "posts": 214,
                "stories": 38,
                "already": 0,
                "skipped_count": 2,
                "skipped": [
                    {"item": LONG, "reason": "This is not a post."},
                    {
                        "item": "Post of 2019-05-04 10:00 (media/posts/201905/"
                        "17849372615029384_n.jpg)",
                        "reason": "This kind of file is not supported.",
                    },
                ],
            },
        )
        expect(page.get_by_text("Imported from Instagram: 214 posts, 38 stories.")).to_be_visible()
        expect(page.get_by_role("button", name="Use this bio")).to_be_visible()
        expect(page.get_by_role("button", name="Use this picture")).to_be_visible()
        page.get_by_text("2 items skipped").click()
        expect(page.get_by_text("This is not a post.")).to_be_visible()
        fits(browser_page)
        browser_page.screenshot(f"imports-02-report-{scheme}")


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_refused_upload_says_why(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Any
) -> None:
    page = browser_page.page
    make_user("ana")
    log_in(browser_page, "ana")
    browser_page.goto("/accounts/settings/#import")
    text = tmp_path / "notes.zip"
    text.write_bytes(b"these are notes, not a zip")
    page.get_by_label("Archive (a zip file").set_input_files(str(text))
    page.get_by_role("button", name="Import archive").click()
    expect(page.get_by_text("This file is not a zip archive.")).to_be_visible()
    fits(browser_page)
    browser_page.screenshot("imports-03-refused")
