"""The composer in a real browser: upload, filter, adjust, crop, describe, save, delete."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from PIL import Image
from playwright.sync_api import Page, expect

from glimpse.accounts.models import User
from glimpse.media import services
from glimpse.media.filters import filter_catalogue
from glimpse.media.models import MediaItem
from tests.browser.conftest import BrowserPage
from tests.conftest import PASSWORD
from tests.media.videos import make_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALT_TEXT = "A colour chart fading from red to blue"

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
    expect(page.get_by_role("heading", name="Create", exact=True)).to_be_visible()
    expect(page).to_have_url(browser_page.base_url + "/create/")
    scripted(page, "[data-composer]")


def preview(page: Page) -> dict[str, Any]:
    """Return what the big preview shows once no newer one is on its way."""
    expect(page.locator("[data-frame]")).not_to_have_attribute("aria-busy", "true")
    result: dict[str, Any] = page.locator("[data-preview]").evaluate(PIXELS_JS)
    return result


def wait_for_preview_change(page: Page, before: str) -> None:
    page.wait_for_function(
        "before => { const i = document.querySelector('[data-preview]');"
        " return i.src !== before && i.complete && i.naturalWidth > 0; }",
        arg=before,
    )


def wait_for_thumbnails(page: Page, count: int = 4) -> None:
    page.wait_for_function(
        "count => Array.from(document.querySelectorAll('[data-thumb]')).slice(0, count)"
        ".every(i => i.complete && i.naturalWidth > 0)",
        arg=count,
    )


def drag_slider(page: Page, label: str, share: float) -> int:
    """Drag a slider's thumb with the mouse to ``share`` of its track; return its value."""
    slider = page.get_by_label(label, exact=True)
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * share, y, steps=12)
    page.mouse.up()
    return int(slider.input_value())


def rendition_mean_spread(item: MediaItem) -> tuple[int, int]:
    record = item.rendition("1080", "jpeg")
    assert record is not None
    with default_storage.open(record["path"]) as stored:
        image = Image.open(io.BytesIO(stored.read())).convert("RGB")
    assert image.size == (record["width"], record["height"])
    small = image.resize((24, 24))
    data = small.tobytes()  # RGB triplets
    spread = max(max(data[i : i + 3]) - min(data[i : i + 3]) for i in range(0, len(data), 3))
    return image.width, spread


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_upload_filter_adjust_crop_describe_and_save_a_photo(
    browser_page: BrowserPage, viewport: str, make_user: Any, tmp_path: Path
) -> None:
    page = browser_page.page
    user = make_user(f"mira{viewport}", display_name="Mira Sol")
    log_in(browser_page, user)
    open_composer(browser_page)
    expect(page.get_by_role("heading", name="Drag a photo or video here")).to_be_visible()
    browser_page.screenshot("composer-01-empty")

    # Upload: the server takes it, processes it, and the editor opens on it.
    page.get_by_label("Select from your device").set_input_files(
        colour_chart(tmp_path / "chart.jpg")
    )
    strip = page.get_by_role("radiogroup", name="Filters")
    expect(strip).to_be_visible()
    item = MediaItem.objects.get(owner=user)
    assert item.status == MediaItem.Status.READY
    assert (item.width, item.height) == (1600, 1200)
    expect(page.locator("[data-preview]")).to_have_attribute("src", re.compile(r"^blob:"))
    expect(strip.get_by_role("radio", name="Normal")).to_have_attribute("aria-checked", "true")
    catalogue = filter_catalogue()
    expect(strip.get_by_role("radio")).to_have_count(len(catalogue))
    thumb = strip.locator("[data-thumb]").first
    expect(thumb).to_have_attribute("src", re.compile(rf"/api/v1/media/{item.pk}/preview\?"))
    expect(thumb).to_have_attribute("src", re.compile(r"size=320"))
    wait_for_thumbnails(page)
    original = preview(page)
    assert original["spread"] > 150  # the colours are there
    # The smallest preview size that stays sharp in the frame: 540 on a phone, 1080 wider.
    size = re.search(r"size=(\d+)", original["url"])
    assert size is not None
    assert int(size.group(1)) == original["width"] == (1080 if viewport == "desktop" else 540)
    browser_page.screenshot("composer-02-uploaded")

    # A black-and-white filter: the big preview changes, and its pixels lose their colour.
    mono = black_and_white()
    choice = strip.get_by_role("radio", name=mono["label"])
    choice.click()
    expect(choice).to_have_attribute("aria-checked", "true")
    expect(strip.get_by_role("radio", name="Normal")).to_have_attribute("aria-checked", "false")
    wait_for_preview_change(page, original["src"])
    filtered = preview(page)
    assert f"filter={mono['name']}" in filtered["url"]
    assert filtered["spread"] < 16
    browser_page.screenshot("composer-03-filter")
    page.emulate_media(color_scheme="dark")
    page.wait_for_timeout(400)  # let the colour transitions finish
    browser_page.screenshot("composer-03-filter-dark")
    page.emulate_media(color_scheme="light")

    # The keyboard moves through the strip like radio buttons.
    choice.focus()
    page.keyboard.press("ArrowRight")
    following = catalogue[[f["name"] for f in catalogue].index(mono["name"]) + 1]
    expect(strip.get_by_role("radio", name=following["label"])).to_be_focused()
    expect(strip.get_by_role("radio", name=following["label"])).to_have_attribute(
        "aria-checked", "true"
    )
    page.keyboard.press("ArrowLeft")
    expect(choice).to_have_attribute("aria-checked", "true")
    page.wait_for_function(
        "name => document.querySelector('[data-preview]').dataset.url"
        ".includes('filter=' + name + '&')",
        arg=mono["name"],
    )

    # Dragging the brightness slider updates the preview once it settles.
    before = preview(page)
    brightness = drag_slider(page, "Brightness", 0.8)
    assert brightness > 30
    expect(page.locator('output[for="adjust-brightness"]')).to_have_text(f"+{brightness}")
    # Previews may show up during the drag; wait for the one of where the thumb stopped.
    page.wait_for_function(
        "value => decodeURIComponent(document.querySelector('[data-preview]').dataset.url)"
        ".includes('\"brightness\":' + value + '}')",
        arg=brightness,
    )
    brighter = preview(page)
    assert brighter["mean"] > before["mean"] + 8
    assert brighter["spread"] < 16  # still black and white

    # Square crop: the stage takes the shape at once.
    page.get_by_role("button", name="1:1", exact=True).click()
    expect(page.get_by_role("button", name="1:1", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    frame = page.locator("[data-frame]").bounding_box()
    assert frame is not None
    assert frame["width"] == pytest.approx(frame["height"], abs=2)

    # Alt text with its counter, then Save.
    page.get_by_label("Alt text").fill(ALT_TEXT)
    expect(page.locator("#alt-text-counter")).to_have_text(f"{len(ALT_TEXT)} / 1500")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved", exact=True)).to_be_visible()

    # The database has the edit, and the renditions were made again from it.
    item.refresh_from_db()
    assert item.edit == {
        "filter": mono["name"],
        "strength": 100,
        "adjustments": {"brightness": brightness},
    }
    assert item.crop == {"aspect": "1:1", "x": 0.125, "y": 0.0, "width": 0.75, "height": 1.0}
    assert item.alt_text == ALT_TEXT
    assert item.status == MediaItem.Status.READY
    assert item.version == item.rendered_version == 2
    square = item.rendition("1080", "webp")
    assert square is not None
    assert square["width"] == square["height"] == 1080
    assert rendition_mean_spread(item) == (1080, pytest.approx(0, abs=16))
    # The API agrees, through the browser's own session.
    answer = page.request.get(f"{browser_page.base_url}/api/v1/media/{item.pk}").json()
    assert (answer["status"], answer["crop"]["aspect"]) == ("ready", "1:1")
    # The preview now comes from the new, square rendering.
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-preview]');"
        " return i.naturalWidth > 0 && i.naturalWidth === i.naturalHeight; }"
    )
    browser_page.screenshot("composer-04-saved")

    # "Your uploads" lists it, with its picture, its badge and its alt text.
    page.get_by_role("link", name="See it in Your uploads").click()
    expect(page.get_by_role("heading", name="Your uploads")).to_be_visible()
    scripted(page, "[data-uploads]")
    tile = page.locator(f'[data-item="{item.pk}"]')
    expect(tile.get_by_role("img", name=ALT_TEXT)).to_be_visible()
    expect(tile.get_by_text("Ready")).to_be_visible()
    assert tile.get_by_role("img").evaluate("i => i.decode().then(() => i.naturalWidth)") == 320
    browser_page.screenshot("composer-05-uploads")

    # Reopening it brings back the saved edit.
    tile.get_by_role("link", name="Edit").click()
    scripted(page, "[data-composer]")
    expect(strip.get_by_role("radio", name=mono["label"])).to_have_attribute("aria-checked", "true")
    expect(page.get_by_role("button", name="1:1", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_label("Brightness", exact=True)).to_have_value(str(brightness))
    expect(page.get_by_label("Alt text")).to_have_value(ALT_TEXT)

    # Delete it from the uploads page, after confirming.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Create").click()
    page.get_by_role("link", name="Your uploads").click()
    scripted(page, "[data-uploads]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this photo").click()
    expect(tile).to_have_count(0)
    expect(page.get_by_role("heading", name="No uploads waiting")).to_be_visible()
    assert not MediaItem.objects.filter(pk=item.pk).exists()


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
    browser_page.screenshot("composer-06-refused")
    # The refusal was the answer under test, not a broken asset.
    browser_page.errors.remove(f"415 {browser_page.base_url}/api/v1/media")

    # Nothing broke: a real photo goes through right after.
    page.get_by_label("Select from your device").set_input_files(
        colour_chart(tmp_path / "real.jpg", (800, 1000))
    )
    expect(page.get_by_role("radiogroup", name="Filters")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_hidden()
    assert MediaItem.objects.get(owner=user).status == MediaItem.Status.READY


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
    expect(page.get_by_role("group", name="Crop aspect")).to_be_hidden()
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
    wait_for_preview_change(page, cover["src"])
    assert preview(page)["spread"] < 16
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved", exact=True)).to_be_visible()
    item.refresh_from_db()
    assert item.edit["filter"] == mono["name"]
    assert item.crop is None
    assert item.version == item.rendered_version == 2
    assert any(r["format"] == "mp4" for r in item.renditions)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_uploads_page_shows_each_state_and_deletes(
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
    browser_page.screenshot("composer-07-uploads-states")

    # Deleting asks first; saying no keeps the item.
    page.once("dialog", lambda dialog: dialog.dismiss())
    tiles.nth(0).get_by_role("button", name="Delete this photo").click()
    expect(tiles).to_have_count(3)
    page.once("dialog", lambda dialog: dialog.accept())
    tiles.nth(0).get_by_role("button", name="Delete this photo").click()
    expect(tiles).to_have_count(2)
    expect(page.get_by_role("status")).to_have_text("The upload is deleted.")
    assert set(MediaItem.objects.values_list("pk", flat=True)) == {photo.pk, video.pk}


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
