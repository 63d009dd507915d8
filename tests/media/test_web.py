"""The composer and "Your uploads" pages: login, what they render, whose items they list."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.media import services
from glimpse.media.filters import ADJUSTMENTS, filter_catalogue
from glimpse.media.models import MediaItem
from tests.accounts.images import jpeg_with_gps
from tests.conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(user: User) -> Client:
    """A browser-like client logged in as ``user`` through the log-in page."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def stranger_api(make_user) -> ApiClient:
    _, secret = token_create(user=make_user("stranger"), name="t")
    return ApiClient(secret)


def _config(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="composer-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))


def _uploaded(api: ApiClient, upload, data: bytes | None = None) -> MediaItem:
    response = upload(api, data or jpeg_with_gps((640, 480)))
    assert response.status_code == 202, response.content
    return MediaItem.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("path", ["/create/", "/uploads/"])
def test_pages_send_visitors_to_log_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_composer_renders_the_filter_catalogue_and_the_controls(web: Client) -> None:
    response = web.get("/create/")
    assert response.status_code == 200
    html = response.content.decode()
    catalogue = filter_catalogue()
    assert len(catalogue) >= 30
    for entry in catalogue:
        assert f'data-filter="{entry["name"]}"' in html
        assert f">{entry['label']}</span>" in html
    for name, (low, high) in ADJUSTMENTS.items():
        assert f'id="adjust-{name}" type="range" min="{low}" max="{high}"' in html
        assert f'<label class="slider__label" for="adjust-{name}">' in html
    assert 'id="filter-strength" type="range" min="0" max="100"' in html
    assert f'data-alt-max="{settings.GLIMPSE_ALT_TEXT_MAX}"' in html  # the share step's fields
    # One bar for the steps: back, the step's title, then Next or Share.
    for control in ("data-back", "data-next", 'form="share-form" data-share', "data-close"):
        assert control in html
    for tab in ("filter", "adjust", "crop"):
        assert f'role="tab" id="tab-{tab}"' in html
    assert 'id="crop-zoom" type="range"' in html
    assert "data-rotate" in html
    assert not re.search(r"\sdata-save[\s>=]", html)  # no "Save" beside "Next" any more
    # But "Save draft" and "Schedule" (docs/drafts.md), and the way to the drafts.
    for control in ("data-save-draft", "data-schedule-post", 'href="/accounts/drafts/"'):
        assert control in html
    assert "data-caption data-autocomplete" in html
    assert 'accept="image/*,video/*"' in html
    for aspect in ("original", "1:1", "4:5", "1.91:1"):
        assert f'data-aspect="{aspect}"' in html
    assert 'href="/uploads/"' in html
    # The page's script and style are served by the project; no inline script at all.
    for script in ("cropper", "autocomplete", "composer"):
        assert f'<script src="/static/js/{script}.js" defer></script>' in html
    assert 'href="/static/css/composer.css"' in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    config = _config(html)
    assert config["api"] == "/api/glimpse/v1/media"
    assert config["mediaId"] == ""
    assert config["photoMaxBytes"] == settings.GLIMPSE_PHOTO_MAX_BYTES
    csrf = re.search(r'data-csrf="([^"]+)"', html)
    assert csrf is not None
    assert len(csrf.group(1)) >= 32


def test_the_navigation_links_to_the_composer(web: Client) -> None:
    home = web.get("/").content.decode()
    assert re.search(r'<a class="sidenav__item" href="/create/"[^>]*>', home)
    composer = web.get("/create/").content.decode()
    assert re.search(
        r'<a class="sidenav__item is-active" href="/create/" aria-current="page"[^>]*>', composer
    )
    assert ">Create</span>" in composer


def test_composer_reopens_only_the_viewers_own_item(
    web: Client, api: ApiClient, stranger_api: ApiClient, upload
) -> None:
    mine = _uploaded(api, upload)
    theirs = _uploaded(stranger_api, upload)
    response = web.get(f"/create/?media={mine.pk}")
    assert response.status_code == 200
    assert _config(response.content.decode())["mediaId"] == str(mine.pk)
    assert web.get(f"/create/?media={theirs.pk}").status_code == 404
    assert web.get("/create/?media=1").status_code == 404
    assert web.get("/create/?media=not-a-number").status_code == 404


def test_uploads_lists_only_the_viewers_unattached_items(
    web: Client, user: User, api: ApiClient, stranger_api: ApiClient, upload
) -> None:
    ready = _uploaded(api, upload)
    posted = _uploaded(api, upload)
    services.media_attach(owner=user, media_ids=[posted.pk])
    theirs = _uploaded(stranger_api, upload)
    broken = jpeg_with_gps((1200, 900))
    failed = _uploaded(api, upload, broken[: len(broken) // 2])
    failed.refresh_from_db()
    assert failed.status == MediaItem.Status.FAILED

    response = web.get("/uploads/")
    assert response.status_code == 200
    html = response.content.decode()
    listed = re.findall(r'data-item="(\d+)"', html)
    assert listed == [str(failed.pk), str(ready.pk)]  # newest first
    assert str(posted.pk) not in html
    assert str(theirs.pk) not in html
    assert theirs.storage_key not in html
    # A ready item shows its 320 px rendition, a badge, an edit link and a delete button.
    ready.refresh_from_db()
    thumb = ready.rendition("320", "webp")
    assert thumb is not None
    # A signed URL (its expiry may have moved to the next step since the page was made).
    assert f'src="{default_storage.url(thumb["path"]).split("?")[0]}?expires=' in html
    assert f'href="/create/?media={ready.pk}"' in html
    assert f'data-delete="{ready.pk}"' in html
    assert 'tile__badge--ready">Ready<' in html
    # The failed one says why, and can only be deleted.
    assert 'tile__badge--failed">Failed<' in html
    assert failed.failure_reason in html
    assert f'href="/create/?media={failed.pk}"' not in html
    assert f'data-delete="{failed.pk}"' in html


def test_uploads_page_shows_an_item_still_processing(web: Client, api: ApiClient) -> None:
    # Posted without running the commit hooks: the processing job never starts.
    body = {"file": SimpleUploadedFile("a.jpg", jpeg_with_gps((64, 48)))}
    response = api.client.post(
        "/api/glimpse/v1/media", body, HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )
    assert response.status_code == 202
    html = web.get("/uploads/").content.decode()
    assert 'tile__badge--processing">Processing<' in html
    assert 'aria-label="Your photo, still processing"' in html
    assert f'data-delete="{response.json()["id"]}"' in html


def test_uploads_page_without_uploads_invites_to_create(web: Client) -> None:
    html = web.get("/uploads/").content.decode()
    assert "No uploads waiting" in html
    assert 'data-item="' not in html


def test_uploads_page_pages_by_id(
    web: Client, api: ApiClient, upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("glimpse.media.views.UPLOADS_PAGE_SIZE", 2)
    items = [_uploaded(api, upload, jpeg_with_gps((64, 48))) for _ in range(3)]
    first = web.get("/uploads/").content.decode()
    assert re.findall(r'data-item="(\d+)"', first) == [str(items[2].pk), str(items[1].pk)]
    older = re.search(r'href="\?max_id=(\d+)"', first)
    assert older is not None
    second = web.get(f"/uploads/?max_id={older.group(1)}").content.decode()
    assert re.findall(r'data-item="(\d+)"', second) == [str(items[0].pk)]
    assert "max_id=" not in second
    assert web.get("/uploads/?max_id=nope").status_code == 404
