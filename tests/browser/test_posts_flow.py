"""Posting in a real browser: a two-photo carousel from the composer to its page, liked,
commented and replied to, then found on the profile grid and on its hashtag's page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.posts.models import Comment, Like, Post
from tests.browser.conftest import BrowserPage
from tests.browser.test_composer import black_and_white, log_in, scripted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAPTION = "Two charts at dusk #goldenhour with @rui"


def photo(path: Path, size: tuple[int, int], *, warm: bool) -> Path:
    """Write a real JPEG: a colour sweep, warm or cool, so the two items look different."""
    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    bands = (across, down.point(lambda v: v // 2), across.point(lambda v: 255 - v))
    if not warm:
        bands = (bands[2], bands[1], bands[0])
    Image.merge("RGB", bands).save(path, "JPEG", quality=88)
    return path


def tray_item(page: Page, number: int) -> Any:
    """Return the tray's button of an item by its place in the post (1-based)."""
    return page.get_by_role("button", name=re.compile(rf"^Photo {number}:"))


def settle(page: Page) -> None:
    """Wait until no animation runs (a new comment's highlight fades out)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def slide_in_view(page: Page, index: int) -> bool:
    """Tell whether a carousel's slide fills the carousel, its picture loaded."""
    result: bool = page.evaluate(
        """index => {
          const track = document.querySelector('[data-track]');
          const slide = track.querySelectorAll('[data-slide]')[index];
          const img = slide.querySelector('img');
          const a = track.getBoundingClientRect(), b = slide.getBoundingClientRect();
          return Math.abs(a.left - b.left) < 2 && img.complete && img.naturalWidth > 0;
        }""",
        index,
    )
    return result


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_publish_a_carousel_then_like_comment_reply_and_find_it(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    base = browser_page.base_url
    author: User = make_user("mira", display_name="Mira Sol")
    make_user("rui", display_name="Rui Costa")
    log_in(browser_page, author)

    # The composer takes two photos at once and shows each one's progress, then "Ready".
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Create").click()
    scripted(page, "[data-composer]")
    warm = photo(tmp_path / "warm.jpg", (1200, 1500), warm=True)
    cool = photo(tmp_path / "cool.jpg", (1600, 1200), warm=False)
    page.get_by_label("Select from your device").set_input_files([warm, cool])
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    expect(tray_item(page, 1)).to_have_attribute("aria-label", re.compile("Ready|selected"))
    expect(tray_item(page, 2)).to_have_attribute("aria-label", re.compile("Ready"))
    expect(tray_item(page, 1)).to_have_attribute("aria-pressed", "true")  # the first opens
    first, second = MediaItem.objects.filter(owner=author).order_by("pk")
    assert {first.status, second.status} == {"ready"}
    expect(page.locator("[data-preview]")).to_have_attribute("src", re.compile(r"^blob:"))

    # A black-and-white filter for the second (the first gets its alt text when sharing).
    tray_item(page, 2).click()
    expect(tray_item(page, 2)).to_have_attribute("aria-pressed", "true")
    mono = black_and_white()
    page.get_by_role("radio", name=mono["label"]).click()
    page.wait_for_function(
        "name => (document.querySelector('[data-preview]').dataset.url || '')"
        ".includes('filter=' + name)",
        arg=mono["name"],
    )
    expect(page.locator(".tray__img")).to_have_count(2)
    browser_page.screenshot("posts-01-composer")

    # Reorder from the keyboard: the second moves first, and the focus stays on its arrow.
    move = page.get_by_role("button", name="Move photo 2 earlier")
    move.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move photo 1 later")).to_be_focused()
    expect(tray_item(page, 1)).to_have_attribute("aria-pressed", "true")  # the moved one
    expect(page.get_by_role("status").filter(has_text="number 1 of 2")).to_have_count(1)
    # ... and back again, with the other arrow.
    page.keyboard.press("Enter")
    expect(tray_item(page, 2)).to_have_attribute("aria-pressed", "true")

    # Details: caption with its counter, a new place, a person tagged on the first photo.
    page.get_by_role("button", name="Next").click()
    caption = page.get_by_label("Caption")
    expect(caption).to_be_focused()
    caption.fill(CAPTION)
    expect(page.locator("#caption-counter")).to_have_text(f"{len(CAPTION)} / 2200")
    page.get_by_label("Location name").fill("Lisbon Pier")
    page.get_by_placeholder("Address (optional)").fill("Cais do Sodré, Lisbon")
    page.get_by_label("People in photo 1").fill("@nobody_here")
    page.get_by_label("Alt text for photo 1").fill("A warm colour chart")
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-details-img]');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    browser_page.screenshot("posts-02-composer-details")

    # The API's refusal is shown where it applies, and nothing is posted.
    page.get_by_role("button", name="Share").click()
    problem = page.get_by_role("alert").filter(has_text="Photo 1, tag 1")
    expect(problem).to_contain_text("No account with this username.")
    assert not Post.objects.exists()
    browser_page.errors.remove(f"422 {base}/api/glimpse/v1/posts")
    page.get_by_label("People in photo 1").fill("@rui")
    page.get_by_role("button", name="Share").click()

    # The post's page: the carousel, the caption with its links, the place.
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    post = Post.objects.get()
    assert page.url == f"{base}/p/{post.pk}/"
    items = list(post.items.select_related("media").order_by("position"))
    assert [item.media_id for item in items] == [first.pk, second.pk]
    assert items[0].alt_text == "A warm colour chart"
    assert items[1].media.edit["filter"] == mono["name"]
    assert [t.account.username for t in items[0].people_tags.all()] == ["rui"]
    assert post.caption == CAPTION
    assert post.place is not None
    assert post.place.name == "Lisbon Pier"
    article = page.locator("article.post")
    expect(article.get_by_role("link", name="#goldenhour")).to_be_visible()
    expect(article.get_by_role("link", name="@rui")).to_be_visible()
    expect(article.get_by_role("link", name="Lisbon Pier")).to_be_visible()
    expect(page.get_by_role("img", name="A warm colour chart")).to_be_visible()
    assert slide_in_view(page, 0)

    # To the second item: the arrow on a desktop, a swipe on a phone.
    counter = page.locator("[data-count]")
    expect(counter).to_have_text("1/2")
    if viewport == "desktop":
        page.get_by_role("button", name="Next item").click()
    else:
        box = page.locator("[data-track]").bounding_box()
        assert box is not None
        y = box["y"] + box["height"] / 2
        # A finger's flick, as the browser's own scrolling takes it.
        page.locator("[data-track]").evaluate(
            "t => t.scrollBy({left: t.clientWidth * 0.6, behavior: 'instant'})"
        )
        page.mouse.move(box["x"] + 10, y)  # settle: scroll-snap finishes the swipe
    expect(counter).to_have_text("2/2")
    expect(page.get_by_role("button", name="Show item 2 of 2")).to_have_attribute(
        "aria-current", "true"
    )
    page.wait_for_function("() => document.querySelectorAll('[data-slide] img')[1].complete")
    page.wait_for_timeout(400)  # the smooth scroll ends
    assert slide_in_view(page, 1)

    # Like, in place.
    page.get_by_role("button", name="Like", exact=True).click()
    expect(page.get_by_role("button", name="Unlike", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("link", name="1 like")).to_be_visible()
    assert Like.objects.filter(post=post, user=author).exists()

    # Comment, then reply in its thread; both appear without leaving the page.
    field = page.get_by_label("Add a comment")
    field.fill("The second one is my favourite")
    field.press("Enter")
    comment_item = page.locator(".comment", has_text="The second one is my favourite")
    expect(comment_item).to_be_visible()
    expect(page.get_by_label("Add a comment")).to_have_value("")
    comment = Comment.objects.get()
    comment_item.get_by_role("link", name="Reply to mira").click()
    expect(page.get_by_text("Replying to @mira")).to_be_visible()
    field = page.get_by_label("Add a comment")
    expect(field).to_have_value("@mira ")
    expect(field).to_be_focused()
    field.press_sequentially("thank you!")
    page.get_by_role("button", name="Post", exact=True).click()
    reply = page.locator(f"#replies-{comment.pk} .comment", has_text="thank you!")
    expect(reply).to_be_visible()
    expect(page.get_by_text("Replying to @mira")).to_be_hidden()
    answer = Comment.objects.exclude(pk=comment.pk).get()
    assert (answer.parent_id, answer.text) == (comment.pk, "@mira thank you!")
    expect(reply.get_by_role("link", name="@mira")).to_be_visible()
    settle(page)
    browser_page.screenshot("posts-03-post")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)
    browser_page.screenshot("posts-03-post-dark")
    page.emulate_media(color_scheme="light")

    # The profile grid has it, marked as a carousel.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    tile = page.locator(f'a[data-tile="{post.pk}"]')
    expect(tile).to_be_visible()
    expect(tile.get_by_text("Carousel")).to_have_count(1)
    expect(page.get_by_text("1 post", exact=False).first).to_be_visible()
    assert tile.locator("img").evaluate("i => i.decode().then(() => i.naturalWidth)") > 0
    browser_page.screenshot("posts-04-profile-grid")

    # From the grid to the post, and from its caption to the hashtag's page.
    tile.click()
    page.wait_for_url(f"{base}/p/{post.pk}/")
    page.locator("article.post").get_by_role("link", name="#goldenhour").click()
    expect(page.get_by_role("heading", name="#goldenhour")).to_be_visible()
    expect(page.get_by_role("heading", name="Most recent")).to_be_visible()
    expect(page.locator(f'a[data-tile="{post.pk}"]').first).to_be_visible()
    browser_page.screenshot("posts-05-hashtag")
