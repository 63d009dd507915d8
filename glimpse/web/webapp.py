"""The installable web app: its manifest, its service worker, the offline page, the share target.

- ``/manifest.webmanifest`` names the app, its icons, colours and start page, and declares
  the share target (a photo shared from the phone's gallery opens the composer).
- ``/sw.js`` is served from the site's root so that its scope is the whole site. Its cache
  is named after the static files' version: a change to any static file makes a new worker,
  which replaces the cached shell.
- ``/offline/`` is the page the worker shows when a page cannot be reached; it is the same
  for everyone (no account's name or count), since it is kept in the browser's cache.
- ``/create/share/`` receives the share target's POST when no service worker caught it, and
  says to pick the file in the composer.
"""

from __future__ import annotations

import functools
import hashlib
from typing import TypedDict

import orjson
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

NAME = "Glimpse"
DESCRIPTION = "Share photos and videos with the people who matter to you."
# The colours of glimpse.css: the bars' surface and the page's background, light and dark.
THEME_LIGHT, BACKGROUND_LIGHT = "#ffffff", "#fafafa"
THEME_DARK, BACKGROUND_DARK = "#121212", "#000000"
# The files every page needs, cached when the worker installs (the offline page's too).
SHELL_FILES = (
    "css/glimpse.css",
    "css/search.css",
    "css/stories.css",
    "css/webapp.css",
    "js/glimpse.js",
    "js/search.js",
    "js/stories.js",
    "js/app.js",
    "icons/favicon.svg",
    "icons/icon-192.png",
    "icons/badge-96.png",
)
SHARE_FIELD = "media"  # the form field the shared files arrive in
NO_CACHE = "no-cache"


class ManifestIcon(TypedDict):
    src: str
    sizes: str
    type: str
    purpose: str


class ShareFile(TypedDict):
    name: str
    accept: list[str]


class ShareParams(TypedDict):
    title: str
    text: str
    url: str
    files: list[ShareFile]


class ShareTarget(TypedDict):
    action: str
    method: str
    enctype: str
    params: ShareParams


class Shortcut(TypedDict):
    name: str
    url: str


class Manifest(TypedDict):
    id: str
    name: str
    short_name: str
    description: str
    lang: str
    dir: str
    start_url: str
    scope: str
    display: str
    theme_color: str
    background_color: str
    user_preferences: dict[str, dict[str, str]]
    categories: list[str]
    icons: list[ManifestIcon]
    shortcuts: list[Shortcut]
    share_target: ShareTarget


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """Answer the web app manifest."""
    body = orjson.dumps(manifest_data())
    response = HttpResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = NO_CACHE
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Answer the service worker script, with its shell and version filled in."""
    config = {
        "version": static_version(),
        "shell": [static(path) for path in SHELL_FILES],
        "offline": reverse("offline"),
        "share": reverse("share_target"),
        "composer": reverse("media:composer"),
        "static": settings.STATIC_URL,
    }
    context = {"config": mark_safe(orjson.dumps(config).decode())}  # noqa: S308 - our own JSON
    response = render(request, "web/sw.js", context, content_type="text/javascript")
    # Browsers look for a new worker at each visit; none may be kept in a cache on the way.
    response["Cache-Control"] = NO_CACHE
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """Show the page the service worker keeps for when the network is gone."""
    response = render(request, "web/offline.html")
    response["Cache-Control"] = NO_CACHE
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def share_target(request: HttpRequest) -> HttpResponse:
    """Say what to do when a share reached the server instead of the service worker.

    The service worker takes the shared files and hands them to the composer; the server
    sees the share only when the worker was not there (not installed yet, or bypassed). The
    browser posts a share without a CSRF token, so this view takes none, and for that it
    reads nothing of the request and writes nothing: a POST is only redirected to the same
    address, whose page explains (a forged post shows what a link would).
    """
    if request.method == "POST":
        return HttpResponseRedirect(request.path, status=303)
    return render(request, "web/share_missed.html")


def manifest_data() -> Manifest:
    """Return the web app manifest."""

    def icon(path: str, size: int, purpose: str) -> ManifestIcon:
        return ManifestIcon(
            src=static(path), sizes=f"{size}x{size}", type="image/png", purpose=purpose
        )

    home = reverse("home")
    return Manifest(
        id=home,
        name=NAME,
        short_name=NAME,
        description=DESCRIPTION,
        lang="en",
        dir="ltr",
        start_url=home,
        scope=home,
        display="standalone",
        theme_color=THEME_LIGHT,
        background_color=BACKGROUND_LIGHT,
        # The dark colours, for browsers that read them; the others use the pages' own
        # theme-color, which follows the colour scheme.
        user_preferences={
            "color_scheme_dark": {"theme_color": THEME_DARK, "background_color": BACKGROUND_DARK}
        },
        categories=["social", "photo"],
        icons=[
            icon("icons/icon-192.png", 192, "any"),
            icon("icons/icon-512.png", 512, "any"),
            icon("icons/icon-maskable-192.png", 192, "maskable"),
            icon("icons/icon-maskable-512.png", 512, "maskable"),
        ],
        shortcuts=[
            Shortcut(name="New post", url=reverse("media:composer")),
            Shortcut(name="Notifications", url=reverse("notifications:list")),
        ],
        share_target=ShareTarget(
            action=reverse("share_target"),
            method="POST",
            enctype="multipart/form-data",
            params=ShareParams(
                title="title",
                text="text",
                url="url",
                files=[ShareFile(name=SHARE_FIELD, accept=["image/*", "video/*"])],
            ),
        ),
    )


def static_version() -> str:
    """Return a short hash of every static file's name and content.

    Every web process computes the same version from the same files, so that browsers never
    flip between workers. Production files do not change while a process runs: the hash is
    made once there; elsewhere it is made again at each request of the worker.
    """
    return _static_version_once() if settings.PRODUCTION else _static_version()


@functools.cache
def _static_version_once() -> str:
    return _static_version()


def _static_version() -> str:
    digest = hashlib.sha256()
    found: dict[str, bytes] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if path not in found:  # the first finder's file is the one served
                with storage.open(path) as handle:
                    found[path] = hashlib.sha256(handle.read()).digest()
    for path in sorted(found):
        digest.update(path.encode())
        digest.update(found[path])
    return digest.hexdigest()[:16]
