"""The installable app: manifest, icons, service worker, offline page, share target."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.web.app_icons import ICONS, icon_draw
from glimpse.web.webapp import static_version

pytestmark = pytest.mark.django_db

ICONS_FOLDER = Path(__file__).resolve().parents[2] / "glimpse" / "static" / "icons"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_manifest(client: Client) -> None:
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert (manifest["name"], manifest["short_name"]) == ("Glimpse", "Glimpse")
    assert (manifest["start_url"], manifest["scope"], manifest["id"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"
    assert (manifest["theme_color"], manifest["background_color"]) == ("#ffffff", "#fafafa")
    assert manifest["user_preferences"]["color_scheme_dark"] == {
        "theme_color": "#121212",
        "background_color": "#000000",
    }
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert purposes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    share = manifest["share_target"]
    assert (share["action"], share["method"], share["enctype"]) == (
        "/create/share/",
        "POST",
        "multipart/form-data",
    )
    assert share["params"]["files"] == [{"name": "media", "accept": ["image/*", "video/*"]}]


def test_the_manifests_icons_are_served_at_their_size(client: Client) -> None:
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        name = icon["src"].removeprefix("/static/")
        path = finders.find(name)
        assert path is not None, name
        with Image.open(path) as image:
            side = int(icon["sizes"].split("x")[0])
            assert (image.format, image.size) == ("PNG", (side, side))


@pytest.mark.parametrize("spec", ICONS, ids=lambda spec: spec.name)
def test_the_committed_icons_are_the_drawn_ones(spec: Any) -> None:
    with Image.open(ICONS_FOLDER / spec.name) as image:
        assert image.size == (spec.size, spec.size)
        committed = image.convert("RGBA")
    drawn = icon_draw(spec)

    def pixel(image: Image.Image, x: int, y: int) -> tuple[int, ...]:
        value = image.getpixel((x, y))
        assert isinstance(value, tuple)
        return value

    # Pillow may round a pixel differently from one version to the next: compare closely.
    difference = sum(
        abs(a - b)
        for x, y in ((spec.size // 2, spec.size // 2), (2, 2), (spec.size // 4, spec.size // 3))
        for a, b in zip(pixel(committed, x, y), pixel(drawn, x, y), strict=True)
    )
    assert difference < 12


def test_a_maskable_icon_fills_its_square_and_an_any_icon_has_round_corners() -> None:
    with Image.open(ICONS_FOLDER / "icon-maskable-512.png") as image:
        rgba = image.convert("RGBA")
        # Opaque to the corners, the gradient from orange (bottom left) to violet (top right).
        assert rgba.getpixel((0, 0)) == (228, 64, 122, 255)
        assert rgba.getpixel((0, 511)) == (255, 138, 61, 255)
        assert rgba.getpixel((511, 0)) == (123, 77, 255, 255)
    with Image.open(ICONS_FOLDER / "icon-512.png") as image:
        assert image.convert("RGBA").getpixel((0, 0)) == (0, 0, 0, 0)
        assert image.convert("RGBA").getpixel((256, 256))[3] == 255  # type: ignore[index]


def test_the_service_worker_is_served_from_the_root(client: Client) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Cache-Control"] == "no-cache"
    assert answer["Service-Worker-Allowed"] == "/"
    script = answer.content.decode()
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", script).group(1))  # type: ignore[union-attr]
    assert config["version"] == static_version()
    assert "/static/css/glimpse.css" in config["shell"]
    assert "/static/js/app.js" in config["shell"]
    assert (config["offline"], config["share"], config["composer"]) == (
        "/offline/",
        "/create/share/",
        "/create/",
    )
    for handler in ("install", "activate", "fetch", "push", "notificationclick"):
        assert f'addEventListener("{handler}"' in script


def test_the_version_follows_the_static_files(settings: Any, tmp_path: Path) -> None:
    extra = tmp_path / "static"
    extra.mkdir()
    (extra / "extra.css").write_text("a { color: red; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    before = static_version()
    assert static_version() == before  # the same files, the same version
    (extra / "extra.css").write_text("a { color: blue; }")
    assert static_version() != before


def test_the_offline_page_is_the_same_for_everyone(make_user: Callable[..., User]) -> None:
    ana = make_user("ana.lima", display_name="Ana Lima")
    anonymous = Client().get("/offline/")
    mine = signed_in(ana).get("/offline/")
    assert anonymous.status_code == mine.status_code == 200
    html = mine.content.decode()
    assert "You're offline" in html
    assert "ana.lima" not in html
    assert "Ana Lima" not in html
    assert "csrfmiddlewaretoken" not in html
    assert "css/webapp.css" in html
    assert mine["Cache-Control"] == "no-cache"


def test_every_page_links_the_app(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'name="theme-color" content="#121212" media="(prefers-color-scheme: dark)"' in html
    assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in html
    assert 'src="/static/js/app.js" data-service-worker="/sw.js"' in html


def test_a_share_that_missed_the_service_worker_says_to_use_the_composer(
    make_user: Callable[..., User],
) -> None:
    ana = make_user("ana")
    client = Client(enforce_csrf_checks=True)  # the browser's share carries no token
    client.force_login(ana)
    answer = client.post(
        "/create/share/", {"title": "Look", "media": [b"not read"]}, format="multipart"
    )
    assert answer.status_code == 303
    assert answer["Location"] == "/create/share/"
    page = client.get("/create/share/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your file didn't come through" in html
    assert 'href="/create/"' in html
    assert MediaItem.objects.count() == 0  # nothing was read or kept
    assert client.put("/create/share/").status_code == 405
