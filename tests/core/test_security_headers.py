"""Security headers on pages, on the API and on uploaded files; no inline script anywhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from glimpse.core.security import API_POLICY
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
MEDIA_POLICY = "default-src 'none'; sandbox"


def directives(policy: str) -> dict[str, list[str]]:
    """Split a content security policy into its directives and their sources."""
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} given twice"
        parsed[name] = sources
    return parsed


def test_pages_get_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "connect-src": ["'self'", "ws://testserver"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_websockets_are_allowed_to_this_host_and_the_configured_socket_only(
    client: Client, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["glimpse.example"]
    settings.GLIMPSE_WEBSOCKET_URL = "wss://live.glimpse.example:8443/ws/"

    response = client.get("/accounts/login/", secure=True, HTTP_HOST="glimpse.example")

    connect = directives(response["Content-Security-Policy"])["connect-src"]
    assert connect == ["'self'", "wss://glimpse.example", "wss://live.glimpse.example:8443"]


def test_a_media_origin_may_serve_pictures_and_videos_only(client: Client, settings: Any) -> None:
    settings.GLIMPSE_MEDIA_ORIGIN = "https://media.glimpse.example/"

    policy = directives(client.get("/accounts/login/")["Content-Security-Policy"])

    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://media.glimpse.example"]
    assert policy["media-src"] == ["'self'", "blob:", "https://media.glimpse.example"]
    others = [
        source
        for name, sources in policy.items()
        if name not in {"img-src", "media-src"}
        for source in sources
    ]
    assert not any("media.glimpse.example" in source for source in others)


def test_a_request_for_a_host_not_allowed_still_gets_a_policy(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert directives(response["Content-Security-Policy"])["connect-src"] == ["'self'"]


def test_api_answers_allow_nothing(api: ApiClient, anon: ApiClient) -> None:
    answers = [api.get("accounts/me"), anon.get("accounts/me"), anon.get("nothing/here")]

    assert [answer.status_code for answer in answers] == [200, 401, 404]
    for answer in answers:
        assert answer["Content-Security-Policy"] == API_POLICY
        assert answer["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
        assert answer["X-Content-Type-Options"] == "nosniff"
    assert API_POLICY == "default-src 'none'; frame-ancestors 'none'"


def test_the_api_documentation_page_is_a_page(client: Client) -> None:
    response = client.get("/api/glimpse/v1/docs")

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("name", "content_type", "disposition"),
    [
        ("photo.jpg", "image/jpeg", 'inline; filename="photo.jpg"'),
        ("clip.mp4", "video/mp4", 'inline; filename="clip.mp4"'),
        ("page.html", "text/html", 'attachment; filename="page.html"'),
        ("drawing.svg", "image/svg+xml", 'attachment; filename="drawing.svg"'),
        ("notes.txt", "text/plain", 'attachment; filename="notes.txt"'),
    ],
)
def test_uploaded_files_never_run_as_pages(
    client: Client, settings: Any, name: str, content_type: str, disposition: str
) -> None:
    stored = Path(settings.MEDIA_ROOT) / "u" / name
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"<svg onload=alert(1)><script>alert(document.cookie)</script></svg>")

    response = client.get(default_storage.url(f"u/{name}"))

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    # The file's own policy, not the pages' one.
    assert response["Content-Security-Policy"] == MEDIA_POLICY


def test_missing_media_is_a_plain_404(client: Client) -> None:
    response = client.get(default_storage.url("u/nothing.jpg"))

    assert response.status_code == 404
    assert not response.has_header("Content-Disposition")


TEMPLATES = sorted((ROOT / "glimpse").glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_templates_are_found() -> None:
    assert len(TEMPLATES) > 50
    assert ROOT / "glimpse" / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_hold_no_inline_script(template: Path) -> None:
    text = template.read_text()

    assert not INLINE_SCRIPT.search(text), "move the script to a file under glimpse/static/js/"
    assert not EVENT_HANDLER.search(text), "bind the handler from a file under glimpse/static/js/"
    assert "javascript:" not in text.lower()
    assert "<style" not in text.lower(), "move the styles to a file under glimpse/static/css/"


def test_the_inline_script_patterns_catch_what_they_should() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">go()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/feed.js" defer></script>')
    assert EVENT_HANDLER.search('<button class="btn" onclick="go()">')
    assert not EVENT_HANDLER.search('<button class="btn" data-once="1">')
