"""An account of another server in a real browser: its profile page (the mark of its server,
its picture made here, its posts here), the search that offers to look a handle up, and a
post of another server found by its address, on phones and a desktop, in light and in
dark, with no serious accessibility violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from glimpse.accounts.models import User
from glimpse.accounts.services import remote_avatar_set
from glimpse.federation.keys import generate_key_pair
from glimpse.federation.models import RemoteObject
from glimpse.federation.remote.actors import actor_store
from glimpse.federation.vocabulary import CONTEXT
from glimpse.posts import services as post_services
from glimpse.posts.models import Post
from tests.accounts.images import jpeg_with_gps
from tests.browser.axe import serious_violations
from tests.browser.conftest import BrowserPage
from tests.browser.test_graph_flow import log_in
from tests.posts.conftest import media_for

__all__ = ["media_for"]  # a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTOR = "https://photos.social.example/users/margarida_the_long_named"
PAGE = "https://photos.social.example/@margarida_the_long_named"
STATUS = f"{ACTOR}/statuses/113456789012345678"
STATUS_PAGE = f"{PAGE}/113456789012345678"


def remote_account() -> User:
    """Store an actor of another server (no request: the document is given) with a picture."""
    _, public_pem = generate_key_pair()
    document = {
        "@context": CONTEXT,
        "id": ACTOR,
        "type": "Person",
        "preferredUsername": "margarida_the_long_named",
        "name": "Margarida Sousa",
        "summary": "<p>Film photos from Porto and the coast.</p>",
        "inbox": f"{ACTOR}/inbox",
        "url": PAGE,
        "publicKey": {"id": f"{ACTOR}#main-key", "owner": ACTOR, "publicKeyPem": public_pem},
    }
    user = actor_store(document, fetched_from=ACTOR)
    remote_avatar_set(user=user, data=jpeg_with_gps((400, 400)), source=f"{ACTOR}/icon.jpg")
    return user


@pytest.mark.parametrize("viewport", ["desktop", "phone", "small-phone"])
def test_a_remote_profile_and_the_look_up_offer(
    browser_page: BrowserPage, viewport: str, make_user: Any, media_for: Any, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION = True  # the look-up is offered only while federating
    page = browser_page.page
    make_user("ana", display_name="Ana Lima")
    margarida = remote_account()
    [photo] = media_for(margarida, 1)
    post_services.post_create(author=margarida, media_ids=[photo.pk], caption="Ribeira at dusk")

    log_in(browser_page, "ana")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        browser_page.goto(f"/{margarida.username}/")
        origin = page.get_by_role("link", name="from photos.social.example")
        expect(origin).to_be_visible()
        assert origin.get_attribute("href") == PAGE
        expect(page.get_by_role("button", name=f"Follow @{margarida.username}")).to_be_visible()
        expect(page.locator(".profile__grid a")).to_have_count(1)
        # The picture is the copy made here.
        picture = page.locator(".profile__avatar img")
        assert "photos.social.example" not in (picture.get_attribute("src") or "")
        # Nothing overflows the narrowest screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.evaluate("window.innerWidth")
        assert serious_violations(page, browser_page.base_url) == []
        browser_page.screenshot(f"remote-profile-{scheme}")

        browser_page.goto("/search/")
        page.get_by_label("Search accounts, hashtags, places and posts").fill(
            "@bob@pics.example.org"
        )
        offer = page.get_by_role("link", name="Look up bob@pics.example.org")
        expect(offer).to_be_visible()
        browser_page.screenshot(f"remote-search-offer-{scheme}")
        # Sending it, past the limit of look-ups (none allowed here): a notice, no request.
        settings.GLIMPSE_RATE_REMOTE_LOOKUPS = (0, 900)
        offer.click()
        expect(page.get_by_role("status").filter(has_text="Try again in")).to_be_visible()
        assert serious_violations(page, browser_page.base_url) == []
        browser_page.screenshot(f"remote-search-notice-{scheme}")


def remote_post(author: User, media_for: Any) -> Post:
    """Store a post of another server as incoming posts do (no request: it is made here)."""
    [photo] = media_for(author, 1)
    post = post_services.post_create(
        author=author, media_ids=[photo.pk], caption="Foz do Douro, last light"
    )
    RemoteObject.objects.create(
        uri=STATUS,
        url=STATUS_PAGE,
        author=author,
        post=post,
        updated_at=post.created_at,
        received_at=post.created_at,
    )
    return post


@pytest.mark.parametrize("viewport", ["desktop", "phone", "small-phone"])
def test_a_remote_post_found_by_its_address(
    browser_page: BrowserPage, viewport: str, make_user: Any, media_for: Any, settings: Any
) -> None:
    settings.GLIMPSE_FEDERATION = True
    page = browser_page.page
    make_user("ana", display_name="Ana Lima")
    post = remote_post(remote_account(), media_for)
    unknown = f"{PAGE}/113999999999999999"

    log_in(browser_page, "ana")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        browser_page.goto("/search/")
        box = page.get_by_label("Search accounts, hashtags, places and posts")
        # Typing an address offers to look it up, and asks nothing yet.
        box.fill(unknown)
        offer = page.get_by_role("link", name=f"Look up {unknown}")
        expect(offer).to_be_visible()
        expect(offer).to_contain_text("Find it on its own server")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.evaluate("window.innerWidth")
        browser_page.screenshot(f"remote-post-offer-{scheme}")
        # Sent, a post already here is found by its page's address, first among the posts.
        box.fill(STATUS_PAGE)
        box.press("Enter")
        tile = page.locator(f'[data-tile="{post.pk}"]')
        expect(tile).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.evaluate("window.innerWidth")
        assert serious_violations(page, browser_page.base_url) == []
        browser_page.screenshot(f"remote-post-found-{scheme}")
        # Past the limit of look-ups: a notice that names posts too.
        settings.GLIMPSE_RATE_REMOTE_LOOKUPS = (0, 900)
        browser_page.goto(f"/search/?q={unknown}")
        notice = page.get_by_role("status").filter(has_text="people and posts")
        expect(notice).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.evaluate("window.innerWidth")
        browser_page.screenshot(f"remote-post-notice-{scheme}")
        settings.GLIMPSE_RATE_REMOTE_LOOKUPS = (30, 900)
