"""The composer in a real browser: select, edit (crop by hand, filter), share with @ and #
suggestions; the profile photo's round crop; suggestions in a feed card's comment box."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from PIL import Image
from playwright.sync_api import FloatRect, Page, expect

from glimpse.accounts.models import User
from glimpse.graph.services import block_create, follow_create
from glimpse.media import services
from glimpse.media.filters import filter_catalogue
from glimpse.media.models import MediaItem
from glimpse.posts import services as post_services
from glimpse.posts.models import Comment, Post
from tests.browser.conftest import PHONES, BrowserPage
from tests.conftest import PASSWORD
from tests.media.videos import make_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 200, 60), (40, 60, 220), (240, 220, 40)

# Mean colour and the largest colour spread (max - min channel) of a picture on the page,
# read back through a canvas: what a person sees, not what the page claims.
PIXELS_JS = """async (image) => {
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = 48;
  canvas.height = 48;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0, 48, 48);
  const data = context.getImageData(0, 0, 48, 48).data;
  let r = 0, g = 0, b = 0, spread = 0;
  for (let i = 0; i < data.length; i += 4) {
    r += data[i]; g += data[i + 1]; b += data[i + 2];
    spread = Math.max(spread, Math.max(data[i], data[i + 1], data[i + 2])
      - Math.min(data[i], data[i + 1], data[i + 2]));
  }
  const n = data.length / 4;
  return {src: image.src, url: image.dataset.url || "", width: image.naturalWidth,
          height: image.naturalHeight, mean: (r + g + b) / (3 * n), spread: spread};
}"""


def colour_chart(path: Path, size: tuple[int, int] = (1600, 1200)) -> Path:
    """Write a JPEG whose colours sweep from red to blue, with a green ramp downwards."""
    across = Image.linear_gradient("L").rotate(90).resize(size)  # 255 on the left
    down = Image.linear_gradient("L").resize(size)
    reverse = across.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    image = Image.merge("RGB", (across, down.point(lambda v: v // 2), reverse))
    image.save(path, "JPEG", quality=90)
    return path


def quadrants(path: Path, size: tuple[int, int] = (1600, 1200)) -> Path:
    """Write a JPEG with a colour in each quadrant: red, green over blue, yellow."""
    width, height = size
    image = Image.new("RGB", size, RED)
    image.paste(GREEN, (width // 2, 0, width, height // 2))
    image.paste(BLUE, (0, height // 2, width // 2, height))
    image.paste(YELLOW, (width // 2, height // 2, width, height))
    image.save(path, "JPEG", quality=92)
    return path


def quadrant_at(crop: dict[str, Any], u: float, v: float) -> tuple[int, int, int] | None:
    """The colour a crop of the quadrants picture shows at (u, v) of its own width and
    height; None near a quadrant's edge, where compression blurs it."""
    x, y = crop["x"] + u * crop["width"], crop["y"] + v * crop["height"]
    # Back from the turned picture to the upright one.
    upright = {0: (x, y), 90: (y, 1 - x), 180: (1 - x, 1 - y), 270: (1 - y, x)}
    across, down = upright[crop.get("rotation", 0)]
    if abs(across - 0.5) < 0.04 or abs(down - 0.5) < 0.04:
        return None
    return ((RED, GREEN), (BLUE, YELLOW))[down > 0.5][across > 0.5]


def assert_shows_crop(image: Image.Image, crop: dict[str, Any]) -> int:
    """Check a rendered picture against the crop it claims, point by point; return how many
    points were checked."""
    checked = 0
    for i in range(1, 10):
        for j in range(1, 10):
            u, v = i / 10, j / 10
            wanted = quadrant_at(crop, u, v)
            if wanted is None:
                continue
            seen = image.getpixel((int(u * (image.width - 1)), int(v * (image.height - 1))))
            assert isinstance(seen, tuple)
            assert sum(abs(a - b) for a, b in zip(seen, wanted, strict=True)) < 90, (u, v, seen)
            checked += 1
    return checked


def black_and_white() -> dict[str, str]:
    """Return the catalogue's first black-and-white filter, by its description."""
    for entry in filter_catalogue():
        if re.match(r"(classic )?black and white\b", entry["description"], re.IGNORECASE):
            return entry
    raise AssertionError("the catalogue has no black-and-white filter")


def log_in(browser_page: BrowserPage, user: User) -> None:
    page = browser_page.page
    browser_page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # Home: the welcome card of an empty feed, or the feed (whose heading is for screen readers).
    home = re.compile(rf"^(Welcome, {re.escape(user.name)}|Home$)", re.IGNORECASE)
    expect(page.get_by_role("heading", level=1)).to_have_text(home)


def scripted(page: Page, root: str) -> None:
    """Wait until the page's script has taken over ``root`` (it is loaded with defer)."""
    expect(page.locator(root)).to_have_attribute("data-ready", "true")


def open_composer(browser_page: BrowserPage) -> None:
    page = browser_page.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Create").click()
    expect(page.get_by_role("heading", name="New post", exact=True)).to_be_visible()
    expect(page).to_have_url(browser_page.base_url + "/create/")
    scripted(page, "[data-composer]")


def preview(page: Page) -> dict[str, Any]:
    """Return what the big preview shows once no newer one is on its way."""
    expect(page.locator("[data-frame]")).not_to_have_attribute("aria-busy", "true")
    result: dict[str, Any] = page.locator("[data-preview]").evaluate(PIXELS_JS)
    return result


def fits_the_screen(page: Page) -> None:
    """Nothing of the step is below the screen's edge, and no app bar covers it."""
    fits = page.evaluate(
        "() => document.documentElement.scrollHeight <= innerHeight + 1"
        " && document.querySelector('[data-composer]').getBoundingClientRect().bottom"
        " <= innerHeight + 1"
    )
    assert fits


def touch(page: Page, moves: list[list[tuple[float, float]]]) -> None:
    """Play a touch gesture: each entry of ``moves`` gives every finger's position."""
    cdp = page.context.new_cdp_session(page)
    points = [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(moves[0])]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points})
    for fingers in moves[1:]:
        points = [{"x": x, "y": y, "id": n} for n, (x, y) in enumerate(fingers)]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def drag(browser_page: BrowserPage, box: FloatRect, dx: float, dy: float) -> None:
    """Drag from the middle of ``box`` by (dx, dy): one finger on a phone, the mouse else."""
    page = browser_page.page
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if browser_page.viewport in PHONES:
        touch(page, [[(x + dx * i / 10, y + dy * i / 10)] for i in range(11)])
    else:
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + dx, y + dy, steps=10)
        page.mouse.up()


def zoom_in(browser_page: BrowserPage, box: FloatRect, factor: float) -> None:
    """Zoom in about the middle of ``box``: a pinch on a phone, the wheel with a mouse."""
    page = browser_page.page
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if browser_page.viewport in PHONES:
        start = 40.0
        steps = [start + (start * factor - start) * i / 10 for i in range(11)]
        touch(page, [[(x - d, y), (x + d, y)] for d in steps])
    else:
        page.mouse.move(x, y)
        page.mouse.wheel(0, -360 * 0.47)  # e^0.47: a factor of 1.6


def suggestions(page: Page) -> Any:
    return page.get_by_role("listbox", name="Suggestions")


@pytest.fixture
def people(make_user: Any, tmp_path: Path) -> dict[str, User]:
    """Mira, who posts; Rui, who has posts with hashtags; Ruth, who blocked Mira."""
    mira = make_user("mira", display_name="Mira Sol")
    rui = make_user("rui", display_name="Rui Costa")
    ruth = make_user("ruth", display_name="Ruth Rua")
    block_create(blocker=ruth, blocked=mira)
    follow_create(follower=mira, followee=rui)
    for n, caption in enumerate(
        ["Pier at dusk #sunsetpier", "Early #sunrise", "#sunsetpier again"]
    ):
        data = quadrants(tmp_path / f"rui{n}.jpg", (320, 240)).read_bytes()
        media = services.media_upload(owner=rui, upload=io.BytesIO(data), size_bytes=len(data))
        post_services.post_create(author=rui, media_ids=[media.pk], caption=caption)
    # Ruth's own tag: she blocked Mira, so Mira never sees it suggested.
    data = quadrants(tmp_path / "ruth.jpg", (320, 240)).read_bytes()
    media = services.media_upload(owner=ruth, upload=io.BytesIO(data), size_bytes=len(data))
    post_services.post_create(author=ruth, media_ids=[media.pk], caption="#sunsetruth")
    return {"mira": mira, "rui": rui, "ruth": ruth}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_select_crop_filter_and_share_with_suggestions(
    browser_page: BrowserPage, viewport: str, people: dict[str, User], tmp_path: Path
) -> None:
    page = browser_page.page
    mira = people["mira"]
    log_in(browser_page, mira)
    open_composer(browser_page)
    expect(page.get_by_role("heading", name="Drag photos and videos here")).to_be_visible()
    if viewport == "phone":
        # The composer takes the whole screen: no app bar over or under it.
        expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
        fits_the_screen(page)
    browser_page.screenshot("composer-01-select")

    # Select two photos: both upload, the editor opens on the first.
    square_source = quadrants(tmp_path / "quadrants.jpg")
    tall = colour_chart(tmp_path / "tall.jpg", (1200, 1500))
    page.get_by_label("Select from your device").set_input_files([square_source, tall])
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    expect(page.get_by_role("heading", name="Edit", exact=True)).to_be_visible()
    first, second = MediaItem.objects.filter(owner=mira).order_by("pk")
    assert {first.status, second.status} == {"ready"}
    tray = page.get_by_role("button", name=re.compile(r"^Photo 1:"))
    expect(tray).to_have_attribute("aria-pressed", "true")
    if viewport == "phone":
        fits_the_screen(page)
    browser_page.screenshot("composer-02-edit")

    # Crop the first by hand: a quarter turn, square, zoomed in, moved.
    page.get_by_role("tab", name="Crop").click()
    expect(page.get_by_role("tabpanel", name="Crop")).to_be_visible()
    page.get_by_role("button", name="Rotate").click()
    page.get_by_role("button", name="1:1", exact=True).click()
    expect(page.get_by_role("button", name="1:1", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    frame = page.locator("[data-frame]")
    box = frame.bounding_box()
    assert box is not None
    assert box["width"] == pytest.approx(box["height"], abs=2)
    zoom = page.get_by_label("Zoom")
    zoom_in(browser_page, box, 1.6)
    expect(zoom).not_to_have_value("1")
    assert float(zoom.input_value()) == pytest.approx(1.6, abs=0.15)
    # Move the picture right and down: the crop goes towards the turned picture's top left.
    drag(browser_page, box, box["width"] * 0.2, box["height"] * 0.15)
    if viewport == "phone":
        fits_the_screen(page)
    browser_page.screenshot("composer-03-crop")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(300)
    browser_page.screenshot("composer-03-crop-dark")
    page.emulate_media(color_scheme="light")

    # A black-and-white filter for the second.
    page.get_by_role("button", name=re.compile(r"^Photo 2:")).click()
    page.get_by_role("tab", name="Filter").click()
    mono = black_and_white()
    page.get_by_role("radio", name=mono["label"]).click()
    page.wait_for_function(
        "name => (document.querySelector('[data-preview]').dataset.url || '')"
        ".includes('filter=' + name)",
        arg=mono["name"],
    )
    assert preview(page)["spread"] < 16
    browser_page.screenshot("composer-04-filter")

    # Share: the caption takes @ and # from the suggestions, with the keyboard and a tap.
    page.get_by_role("button", name="Next").click()
    caption = page.get_by_label("Caption")
    expect(caption).to_be_focused()
    expect(page.locator("html")).to_have_attribute("data-autocomplete-ready", "true")
    caption.press_sequentially("Golden hour with @ru", delay=20)
    listbox = suggestions(page)
    expect(listbox).to_be_visible()
    expect(caption).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)  # Ruth blocked Mira: never offered
    expect(options.first).to_contain_text("rui")
    expect(options.first).to_contain_text("Rui Costa")
    expect(options.first).to_have_attribute("aria-selected", "true")
    browser_page.screenshot("composer-05-mention")
    page.keyboard.press("Enter")
    expect(caption).to_have_value("Golden hour with @rui ")
    expect(listbox).to_be_hidden()
    caption.press_sequentially("#sun", delay=20)
    expect(options).to_have_count(2)
    expect(options.nth(0)).to_contain_text("#sunsetpier")
    expect(options.nth(0)).to_contain_text("2 posts")
    expect(options.nth(1)).to_contain_text("#sunrise")
    expect(listbox).not_to_contain_text("sunsetruth")
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(caption).to_have_attribute(
        "aria-activedescendant", options.nth(1).get_attribute("id") or ""
    )
    page.keyboard.press("ArrowUp")
    if viewport == "phone":
        options.nth(0).tap()
    else:
        options.nth(0).click()
    expect(caption).to_have_value("Golden hour with @rui #sunsetpier ")
    expect(caption).to_be_focused()
    caption.press_sequentially("@r", delay=20)
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    text = "Golden hour with @rui #sunsetpier "
    expect(caption).to_have_value(text)
    page.get_by_label("Alt text for photo 1").fill("Four colours, turned")
    browser_page.screenshot("composer-06-share")
    page.get_by_role("button", name="Share", exact=True).click()

    # The post: its caption links, and its first photo is the crop chosen by hand.
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    post = Post.objects.get(author=mira)
    assert post.caption == text.strip()
    article = page.locator("article.post")
    expect(article.get_by_role("link", name="@rui")).to_be_visible()
    expect(article.get_by_role("link", name="#sunsetpier")).to_be_visible()
    items = list(post.items.select_related("media").order_by("position"))
    assert [item.media_id for item in items] == [first.pk, second.pk]
    assert items[0].alt_text == "Four colours, turned"
    cropped = items[0].media
    crop = cropped.crop
    assert crop is not None
    assert (crop["aspect"], crop["rotation"]) == ("1:1", 90)
    # Turned, the photo is 1200 x 1600; zoomed by about 1.6 the square is about 750 wide.
    assert crop["width"] == pytest.approx(1 / 1.6, abs=0.08)
    assert crop["height"] * 1600 == pytest.approx(crop["width"] * 1200, rel=0.01)
    centred = ((1 - crop["width"]) / 2, (1 - crop["height"]) / 2)
    assert crop["x"] < centred[0] - 0.05
    assert crop["y"] < centred[1] - 0.03
    record = cropped.rendition("1080", "jpeg")
    assert record is not None
    with default_storage.open(record["path"]) as stored:
        rendered = Image.open(io.BytesIO(stored.read())).convert("RGB")
    assert rendered.width == rendered.height == record["width"]
    assert assert_shows_crop(rendered, crop) > 40
    assert items[1].media.edit["filter"] == mono["name"]
    # The page shows the square, turned crop too.
    shown = article.locator("img").first
    expect(shown).to_be_visible()
    size = shown.evaluate("i => i.decode().then(() => [i.naturalWidth, i.naturalHeight])")
    assert size[0] == size[1]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_profile_photo_is_cropped_in_a_circle(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    user = make_user(f"lena{viewport}", display_name="Lena Berg")
    log_in(browser_page, user)
    browser_page.goto("/accounts/edit/")
    page.locator("input[type=file][name=avatar]").set_input_files(quadrants(tmp_path / "me.jpg"))
    dialog = page.get_by_role("dialog", name="Crop your profile photo")
    expect(dialog).to_be_visible()
    expect(page.locator("[data-avatar-dialog]")).to_have_attribute("data-ready", "true")
    frame = dialog.locator("[data-avatar-frame]")
    box = frame.bounding_box()
    assert box is not None
    assert box["width"] == pytest.approx(box["height"], abs=1)
    dialog.get_by_role("button", name="Rotate").click()
    dialog.get_by_role("button", name="Rotate").click()
    zoom_in(browser_page, box, 1.8)
    drag(browser_page, box, -box["width"] * 0.25, -box["height"] * 0.2)
    browser_page.screenshot("composer-07-avatar-crop")
    crop = json.loads(page.locator("input[name=crop]").input_value())
    assert crop["rotation"] == 180
    assert crop["width"] < 0.75 / 1.5  # zoomed in: less than the centred 1200 x 1200
    dialog.get_by_role("button", name="Save photo").click()
    expect(page.get_by_text("Your profile photo is updated.")).to_be_visible()
    user.refresh_from_db()
    assert user.avatar_version
    folder = Path(django_settings.MEDIA_ROOT) / "avatars" / str(user.pk)
    with Image.open(folder / f"{user.avatar_version}-320.webp") as avatar:
        pixels = avatar.convert("RGB")
    assert pixels.size == (320, 320)
    # The same square the dialog showed, cut from the photo turned upside down.
    assert assert_shows_crop(pixels, crop) > 20


@pytest.mark.parametrize("viewport", ["phone"])
def test_comment_box_on_a_feed_card_suggests_accounts_and_hashtags(
    browser_page: BrowserPage, viewport: str, people: dict[str, User]
) -> None:
    page = browser_page.page
    mira, rui = people["mira"], people["rui"]
    post = Post.objects.filter(author=rui).order_by("-pk").first()
    assert post is not None
    log_in(browser_page, mira)
    expect(page.locator("html")).to_have_attribute("data-autocomplete-ready", "true")
    card = page.locator(f"#post-{post.pk}")
    box = card.get_by_label("Add a comment on rui's post")
    box.click()
    box.press_sequentially("@ru", delay=20)
    listbox = suggestions(page)
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("role", "combobox")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Rui Costa")
    browser_page.screenshot("composer-08-comment-mention")
    page.keyboard.press("Tab")
    expect(box).to_have_value("@rui ")
    expect(box).to_be_focused()
    box.press_sequentially("what light #suns", delay=20)
    expect(options.first).to_contain_text("#sunsetpier")
    page.keyboard.press("Enter")  # chooses: the comment is not sent yet
    expect(box).to_have_value("@rui what light #sunsetpier ")
    assert not Comment.objects.exists()
    page.keyboard.press("Enter")  # the list is closed: Enter sends
    expect(card.locator(f"#feed-comments-{post.pk}")).to_contain_text("what light")
    comment = Comment.objects.get()
    assert (comment.author_id, comment.text) == (mira.pk, "@rui what light #sunsetpier")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_file_that_is_not_a_picture_is_refused_clearly(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    user = make_user(f"noor{viewport}")
    log_in(browser_page, user)
    open_composer(browser_page)
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * 4000)
    page.get_by_label("Select from your device").set_input_files(fake)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This kind of file is not supported.")
    expect(alert).to_contain_text("Upload a photo (JPEG, PNG, WebP, HEIC, AVIF, GIF)")
    expect(page.get_by_role("button", name="Try another file")).to_be_visible()
    assert not MediaItem.objects.exists()
    browser_page.screenshot("composer-09-refused")
    # The refusal was the answer under test, not a broken asset.
    browser_page.errors.remove(f"415 {browser_page.base_url}/api/glimpse/v1/media")

    # Nothing broke: a real photo goes through right after.
    page.get_by_label("Select from your device").set_input_files(
        colour_chart(tmp_path / "real.jpg", (800, 1000))
    )
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_hidden()
    assert MediaItem.objects.get(owner=user).status == MediaItem.Status.READY


@pytest.mark.parametrize("viewport", ["desktop"])
def test_back_from_editing_discards_after_asking(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    user = make_user("ivo")
    log_in(browser_page, user)
    open_composer(browser_page)
    page.get_by_label("Select from your device").set_input_files(quadrants(tmp_path / "a.jpg"))
    expect(page.get_by_role("heading", name="Edit", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Discard and start over").click()
    expect(page.get_by_role("heading", name="Edit", exact=True)).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Discard and start over").click()
    expect(page.get_by_role("heading", name="New post", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Drag photos and videos here")).to_be_visible()
    # The upload stays among "Your uploads" for a day, as any unposted one.
    assert MediaItem.objects.filter(owner=user).count() == 1


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_video_gets_its_player_and_a_filtered_cover(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    user = make_user("vic")
    log_in(browser_page, user)
    open_composer(browser_page)
    clip = make_video(tmp_path / "clip.mp4", width=320, height=180, seconds=1.0)
    page.get_by_label("Select from your device").set_input_files(clip)
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    item = MediaItem.objects.get(owner=user)
    assert (item.kind, item.status) == ("video", "ready")
    expect(page.get_by_role("tab", name="Crop")).to_be_hidden()
    expect(page.locator("[data-preview]")).to_have_attribute("src", re.compile(r"^blob:"))
    cover = preview(page)
    assert cover["width"] == 320  # the poster is never enlarged

    page.get_by_role("button", name="Video", exact=True).click()
    video = page.locator("video")
    expect(video).to_be_visible()
    expect(video).to_have_attribute("src", re.compile(r"\.mp4\?expires=\d+&signature=[\w-]+$"))
    page.get_by_role("button", name="Cover", exact=True).click()
    expect(video).to_be_hidden()

    mono = black_and_white()
    page.get_by_role("radio", name=mono["label"]).click()
    page.wait_for_function(
        "name => (document.querySelector('[data-preview]').dataset.url || '')"
        ".includes('filter=' + name)",
        arg=mono["name"],
    )
    assert preview(page)["spread"] < 16
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Share", exact=True).click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    item.refresh_from_db()
    assert item.edit["filter"] == mono["name"]
    assert item.crop is None
    assert item.version == item.rendered_version == 2
    assert any(r["format"] == "mp4" for r in item.renditions)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_uploads_page_shows_each_state_reopens_and_deletes(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    user = make_user(f"ines{viewport}")
    # Made through the service: each upload is processed as soon as it commits.
    chart = colour_chart(tmp_path / "tall.jpg", (900, 1200)).read_bytes()
    clip = make_video(tmp_path / "clip.mp4", width=320, height=180).read_bytes()
    broken = colour_chart(tmp_path / "wide.jpg", (1600, 900)).read_bytes()
    photo = services.media_upload(
        owner=user, upload=io.BytesIO(chart), size_bytes=len(chart), alt_text="A tall chart"
    )
    video = services.media_upload(owner=user, upload=io.BytesIO(clip), size_bytes=len(clip))
    failed = services.media_upload(
        owner=user, upload=io.BytesIO(broken[: len(broken) // 2]), size_bytes=len(broken) // 2
    )
    statuses = dict(MediaItem.objects.values_list("pk", "status"))
    assert statuses == {photo.pk: "ready", video.pk: "ready", failed.pk: "failed"}

    log_in(browser_page, user)
    browser_page.goto("/uploads/")
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible()
    scripted(page, "[data-uploads]")
    tiles = page.locator("[data-item]")
    expect(tiles).to_have_count(3)
    expect(tiles.nth(0)).to_contain_text("Failed")
    expect(tiles.nth(1)).to_contain_text("Video")
    expect(tiles.nth(2).get_by_role("img", name="A tall chart")).to_be_visible()
    for index in (1, 2):
        picture = tiles.nth(index).get_by_role("img")
        assert picture.evaluate("i => i.decode().then(() => i.naturalWidth)") == 320
    browser_page.screenshot("composer-10-uploads-states")

    # Deleting asks first; saying no keeps the item.
    page.once("dialog", lambda dialog: dialog.dismiss())
    tiles.nth(0).get_by_role("button", name="Delete this photo").click()
    expect(tiles).to_have_count(3)
    page.once("dialog", lambda dialog: dialog.accept())
    tiles.nth(0).get_by_role("button", name="Delete this photo").click()
    expect(tiles).to_have_count(2)
    expect(page.get_by_role("status")).to_have_text("The upload is deleted.")
    assert set(MediaItem.objects.values_list("pk", flat=True)) == {photo.pk, video.pk}

    # An upload reopens in the editor, and can be shared from there.
    page.locator(f'[data-item="{photo.pk}"]').get_by_role("link", name="Edit").click()
    scripted(page, "[data-composer]")
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("Alt text for photo 1")).to_have_value("A tall chart")
    page.get_by_role("button", name="Share", exact=True).click()
    page.wait_for_url(re.compile(r"/p/\d+/$"))
    assert Post.objects.get(author=user).items.get().media_id == photo.pk


@pytest.mark.parametrize("viewport", ["desktop"])
def test_uploads_page_updates_when_processing_ends(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    user = make_user("otto")
    data = colour_chart(tmp_path / "chart.jpg", (800, 600)).read_bytes()
    item = services.media_upload(owner=user, upload=io.BytesIO(data), size_bytes=len(data))
    # As if a worker were still busy with it.
    MediaItem.objects.filter(pk=item.pk).update(status=MediaItem.Status.PROCESSING)
    log_in(browser_page, user)
    browser_page.goto("/uploads/")
    scripted(page, "[data-uploads]")
    tile = page.locator(f'[data-item="{item.pk}"]')
    expect(tile).to_contain_text("Processing")
    expect(tile.get_by_role("img", name="Your photo, still processing")).to_be_visible()
    # The worker finishes: the page notices on its own.
    MediaItem.objects.filter(pk=item.pk).update(status=MediaItem.Status.READY)
    expect(tile).to_contain_text("Ready", timeout=15_000)
    expect(tile.locator("img.tile__img")).to_be_visible()
