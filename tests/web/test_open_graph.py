"""Link previews: Open Graph and Twitter card tags on public posts and profiles, none elsewhere.

Whoever opens the page (a stranger, a follower, the author), a post or profile that is not
public has no preview tags: a link shared beyond its audience previews nothing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.accounts.services import avatar_set
from glimpse.graph.services import content_hide
from glimpse.posts import services as posts
from glimpse.posts.models import Post
from tests.posts.conftest import follow, media_for, publish, small_jpeg

__all__ = ["media_for", "publish"]

pytestmark = pytest.mark.django_db

SITE = "https://glimpse.example"


@pytest.fixture(autouse=True)
def site(settings: Any) -> None:
    settings.GLIMPSE_SITE_URL = SITE


def tags(html: str) -> dict[str, str]:
    """Return the page's og: and twitter: tags by name."""
    found = re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', html)
    return dict(found)


def page(path: str, viewer: User | None = None) -> str:
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    answer = client.get(path)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana", display_name="Ana Lima", bio="Light & shadow")


@pytest.fixture
def bo(make_user: Callable[..., User]) -> User:
    return make_user("bo")


def test_a_public_post_has_a_preview(ana: User, publish: Callable[..., Post]) -> None:
    post = publish(ana, caption="Golden hour over the bay #sunset")
    found = tags(page(f"/p/{post.pk}/"))
    assert found["og:type"] == "article"
    assert found["og:title"] == "Ana Lima (@ana) on Glimpse"
    assert found["og:description"] == "Golden hour over the bay #sunset"
    assert found["og:url"] == f"{SITE}/p/{post.pk}/"
    # A lasting address, never a signed one (those expire while previews are kept).
    assert found["og:image"] == f"{SITE}/p/{post.pk}/preview.jpg"
    assert int(found["og:image:width"]) > 0
    assert found["og:image:alt"] == "upload"
    assert found["twitter:card"] == "summary_large_image"
    assert found["twitter:image"] == found["og:image"]
    # Signed in or not, the preview is the same: it is what anyone may see.
    assert tags(page(f"/p/{post.pk}/", viewer=ana)) == found


def test_a_previews_picture_address_leads_to_the_pictures_signed_url(
    ana: User, publish: Callable[..., Post], settings: Any
) -> None:
    post = publish(ana, caption="Golden hour")
    answer = Client().get(f"/p/{post.pk}/preview.jpg")
    assert answer.status_code == 302
    target = answer["Location"]
    assert target.startswith("/media/")
    assert "signature=" in target
    assert re.search(r"(1080|640)\.jpe?g", target)
    max_age = int(answer["Cache-Control"].split("max-age=")[1])
    assert 0 < max_age < settings.GLIMPSE_MEDIA_URL_SECONDS  # never kept past the signature
    picture = Client().get(target)
    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/jpeg"


def test_the_picture_address_of_what_is_not_public_is_not_found(
    ana: User, bo: User, publish: Callable[..., Post]
) -> None:
    post = publish(ana, caption="For my friends")
    ana.is_private = True
    ana.save()
    follow(bo, ana)
    for viewer in (None, bo, ana):  # the preview is what anyone may see, whoever asks
        client = Client()
        if viewer is not None:
            client.force_login(viewer)
        assert client.get(f"/p/{post.pk}/preview.jpg").status_code == 404
        assert client.get("/ana/picture.jpg").status_code == 404
    assert Client().get("/p/999999/preview.jpg").status_code == 404


def test_a_post_of_a_private_account_has_none(
    ana: User, bo: User, publish: Callable[..., Post]
) -> None:
    ana.is_private = True
    ana.save()
    follow(bo, ana)
    post = publish(ana, caption="For my friends")
    assert tags(page(f"/p/{post.pk}/", viewer=bo)) == {}
    assert tags(page(f"/p/{post.pk}/", viewer=ana)) == {}


def test_an_archived_post_has_none(ana: User, publish: Callable[..., Post]) -> None:
    post = publish(ana, caption="Old news")
    posts.post_archive(actor=ana, post_id=post.pk)
    html = page(f"/p/{post.pk}/", viewer=ana)  # its author still sees the page
    assert "Old news" in html
    assert tags(html) == {}


def test_a_hidden_post_has_none(ana: User, publish: Callable[..., Post]) -> None:
    post = publish(ana, caption="Reported")
    content_hide(kind="post", target_id=post.pk)
    assert tags(page(f"/p/{post.pk}/", viewer=ana)) == {}


def test_a_public_profile_has_a_preview(ana: User, publish: Callable[..., Post]) -> None:
    publish(ana)
    found = tags(page("/ana/"))
    assert found["og:type"] == "profile"
    assert found["og:title"] == "Ana Lima (@ana) on Glimpse"
    assert found["og:description"] == "0 followers, 0 following, 1 post · Light &amp; shadow"
    assert found["og:url"] == f"{SITE}/ana/"
    # No picture yet: the app's icon stands in.
    assert found["og:image"] == f"{SITE}/static/icons/icon-512.png"
    assert found["twitter:card"] == "summary"


def test_a_profile_pictures_preview_has_a_lasting_address(ana: User) -> None:
    avatar = io.BytesIO(small_jpeg(7, size=(400, 400)))
    avatar_set(user=ana, upload=avatar, size_bytes=len(avatar.getvalue()))
    found = tags(page("/ana/"))
    assert found["og:image"] == f"{SITE}/ana/picture.jpg"
    answer = Client().get("/ana/picture.jpg")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/media/")
    assert "signature=" in answer["Location"]
    assert Client().get(answer["Location"]).status_code == 200
    assert Client().get("/nobody-here/picture.jpg").status_code == 404


def test_a_private_profile_has_none(ana: User, bo: User) -> None:
    ana.is_private = True
    ana.save()
    follow(bo, ana)
    assert tags(page("/ana/")) == {}
    assert tags(page("/ana/", viewer=bo)) == {}
    assert tags(page("/ana/", viewer=ana)) == {}


def test_other_pages_have_none(ana: User) -> None:
    assert tags(page("/accounts/login/")) == {}
    assert tags(page("/explore/", viewer=ana)) == {}
