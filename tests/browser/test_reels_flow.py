"""Reels in a real browser: the snapping feed plays, a tap turns the sound on and off, a play
is counted, like works in place; and the composer shares a single video as a Reel."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from glimpse.accounts.models import User
from glimpse.media import services as media
from glimpse.posts import services
from glimpse.posts.models import Like, Post
from tests.browser.conftest import BrowserPage
from tests.conftest import PASSWORD
from tests.media.videos import make_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser_page: BrowserPage, user: User, then: str) -> None:
    page = browser_page.page
    # Videos are encoded and transcoded on this machine meanwhile: allow the slow first loads.
    page.set_default_timeout(20_000)
    browser_page.goto(f"/accounts/login/?next={then}")
    page.get_by_label("Username or email").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(browser_page.base_url + then)


def reel_by(author: User, tmp_path: Path, name: str, *, seconds: float = 2.0) -> Post:
    """Publish a Reel of a real 9:16 clip with sound (processed in-process after commit)."""
    clip = make_video(tmp_path / f"{name}.mp4", width=180, height=320, seconds=seconds)
    data = clip.read_bytes()
    item = media.media_upload(owner=author, upload=io.BytesIO(data), size_bytes=len(data))
    return services.post_create(author=author, media_ids=[item.pk], caption=name, kind="reel")


def video_state(video: Locator) -> dict[str, Any]:
    state: dict[str, Any] = video.evaluate(
        "v => ({paused: v.paused, muted: v.muted, time: v.currentTime})"
    )
    return state


def wait_playing(page: Page, video: Locator) -> None:
    page.wait_for_function("v => !v.paused && v.currentTime > 0", arg=video.element_handle())


@pytest.mark.parametrize("viewport", ["phone"])
def test_reels_snap_play_muted_unmute_on_tap_count_a_play_and_like_in_place(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    viewer, author = make_user("viewer"), make_user("author")
    older = reel_by(author, tmp_path, "second")
    newer = reel_by(author, tmp_path, "first")
    log_in(browser_page, viewer, "/reels/")

    feed = page.locator("[data-reels-feed]")
    page.wait_for_load_state("load")  # the stylesheet applied, on a busy machine too
    assert feed.evaluate("f => getComputedStyle(f).scrollSnapType") == "y mandatory"
    first = page.locator(f'[data-reel="{newer.pk}"]')
    second = page.locator(f'[data-reel="{older.pk}"]')
    expect(first).to_have_attribute("data-ready", "true")  # reels.js took over
    # Full screen: the reel fills the width and the height above the bottom bar.
    box = first.bounding_box()
    assert box is not None
    assert box["width"] == 390
    assert box["height"] > 844 - 100

    # The reel in view plays by itself, muted; the next one waits.
    video, next_video = first.locator("video"), second.locator("video")
    wait_playing(page, video)
    assert video_state(video)["muted"] is True
    assert video_state(next_video)["paused"] is True
    assert video.get_attribute("controls") is None  # the page's own controls replace them

    # A tap turns the sound on (the sound button says so), another turns it off.
    sound = first.get_by_role("button", name="Sound")
    expect(sound).to_have_attribute("aria-pressed", "false")
    first.locator("[data-reel-tap]").tap()
    page.wait_for_function("v => !v.muted", arg=video.element_handle())
    expect(sound).to_have_attribute("aria-pressed", "true")
    assert video_state(video)["paused"] is False
    first.locator("[data-reel-tap]").tap()
    page.wait_for_function("v => v.muted", arg=video.element_handle())
    expect(sound).to_have_attribute("aria-pressed", "false")

    # The play was counted once, and the count is shown in place.
    expect(first.locator("[data-reel-views]")).to_have_text("1 view")
    newer.refresh_from_db()
    assert newer.view_count == 1

    # Like in place: no page change, the count follows; and back.
    like = first.get_by_role("button", name="Like")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(first.locator("[data-like-count]")).to_have_text("1")
    assert Like.objects.filter(user=viewer, post=newer).exists()
    assert page.url == browser_page.base_url + "/reels/"
    browser_page.screenshot("reels-01-feed")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(first.locator("[data-like-count]")).to_have_text("")
    assert not Like.objects.filter(user=viewer, post=newer).exists()

    # The next reel snaps into view: it plays, the first one stops.
    page.keyboard.press("ArrowDown")
    wait_playing(page, next_video)
    page.wait_for_function("v => v.paused", arg=video.element_handle())
    assert video_state(next_video)["muted"] is True  # the sound stayed off
    # It comes to rest exactly at the top of the feed (snapped).
    page.wait_for_function(
        "r => Math.abs(r.getBoundingClientRect().top - r.parentElement.getBoundingClientRect().top)"
        " < 1",
        arg=second.element_handle(),
    )
    expect(second.locator("[data-reel-views]")).to_have_text("1 view")


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_next_reels_arrive_before_the_end_of_the_loaded_ones(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    viewer, author = make_user("viewer"), make_user("author")
    made = [reel_by(author, tmp_path, f"r{n}", seconds=1.0) for n in range(7)]
    log_in(browser_page, viewer, "/reels/")
    reels = page.locator("[data-reel]")
    expect(reels).to_have_count(5)  # one page
    expect(reels.first).to_have_attribute("data-ready", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # while the first move is still under way
    # Two reels ahead of the third: the next page was asked for, without reaching the end.
    expect(reels).to_have_count(7)
    expect(page.locator(f'[data-reel="{made[0].pk}"]')).to_have_attribute("data-ready", "true")
    page.locator("[data-reels-feed]").evaluate("f => f.scrollTo(0, f.scrollHeight)")
    expect(page.get_by_text("You're all caught up")).to_be_in_viewport()
    assert page.url == browser_page.base_url + "/reels/"


@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_composer_shares_a_single_video_as_a_reel(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    author = make_user("author")
    log_in(browser_page, author, "/create/")
    expect(page.locator("[data-composer]")).to_have_attribute("data-ready", "true")
    clip = make_video(tmp_path / "tall.mp4", width=180, height=320, seconds=1.0)
    page.get_by_label("Select from your device").set_input_files(clip)
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    switch = page.get_by_label("Share as Reel")
    expect(switch).to_be_visible()
    page.get_by_text("Share as Reel", exact=True).click()  # the switch's label, as a person does
    expect(switch).to_be_checked()
    page.get_by_role("button", name="Share").click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    post = Post.objects.get()
    assert post.kind == Post.Kind.REEL
    browser_page.goto("/author/reels/")
    expect(page.locator(f'[data-reel-tile="{post.pk}"]')).to_be_visible()
