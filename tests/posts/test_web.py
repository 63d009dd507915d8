"""The web pages of posts through Django's client: each renders, each follows the one policy,
and each button does what it says (or nothing, when it may not)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.posts import services
from glimpse.posts.models import (
    Collection,
    CollectionItem,
    Comment,
    Like,
    Post,
    Repost,
    Save,
)
from glimpse.posts.services import PlaceSpec
from tests.posts.conftest import follow, snapshot

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]
Publish = Callable[..., Post]
HTMX = {"HX-Request": "true"}


def browser(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(response: Any) -> str:
    return response.content.decode()


def same_body(response: Any) -> str:
    # The CSRF token of the log-out form changes on every render; nothing else may differ.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page(response))


def post_url(post: Post) -> str:
    return reverse("posts:detail", args=[post.pk])


def buttons(html: str) -> list[str]:
    """Return the visible text or label of every button of a page."""
    found = []
    for attrs, text in re.findall(r"<button([^>]*)>(.*?)</button>", html, re.S):
        label = re.search(r'aria-label="([^"]*)"', attrs)
        plain = re.sub(r"<[^>]+>", "", text).strip()
        found.append(label.group(1) if label else plain)
    return found


def tiles(html: str) -> list[int]:
    """Return the ids of the posts a grid shows, in order."""
    return [int(pk) for pk in re.findall(r'data-tile="(\d+)"', html)]


@pytest.fixture
def ana(make_user: MakeUser) -> User:
    return make_user("ana", display_name="Ana Lima")


@pytest.fixture
def bea(make_user: MakeUser) -> User:
    return make_user("bea")


# --- The post page ---------------------------------------------------------------------------


def test_post_page_shows_the_carousel_caption_place_and_actions(
    ana: User, bea: User, publish: Publish
) -> None:
    post = publish(
        ana,
        count=2,
        caption="Golden hour at the pier #sunset with @bea and @nobody",
        place=PlaceSpec(name="Cais do Sodré", address="Lisbon"),
    )
    response = browser(bea).get(post_url(post))
    html = page(response)
    assert response.status_code == 200
    # Two slides, each a picture with WebP and JPEG sources, and the carousel's controls.
    assert html.count("data-slide") == 2
    assert html.count('type="image/webp"') == 2
    assert re.search(r'srcset="[^"]+/1080\.jpg \d+w', html) or "srcset=" in html
    assert 'aria-label="Next item"' in html
    assert html.count("data-dot=") == 2
    # The caption links its hashtag and the mentions of existing accounts only.
    assert f'href="{reverse("posts:tag", args=["sunset"])}">#sunset</a>' in html
    assert f'href="{reverse("profile", args=["bea"])}">@bea</a>' in html
    assert "@nobody</a>" not in html
    assert "@nobody" in html
    assert f'href="{reverse("posts:place", args=[post.place_id])}">Cais do Sodré</a>' in html
    assert "Like" in buttons(html)
    assert "Save" in buttons(html)
    assert "Repost" in buttons(html)
    assert 'id="comment-text"' in html
    assert "Post options" not in html  # the author's menu is the author's


def test_the_author_sees_the_menu_and_others_do_not(ana: User, bea: User, publish: Publish) -> None:
    post = publish(ana)
    html = page(browser(ana).get(post_url(post)))
    assert "Post options" in html
    for label in ("Archive", "Pin to your profile", "Hide like count", "Turn off commenting"):
        assert label in buttons(html)
    assert reverse("posts:edit", args=[post.pk]) in html
    assert reverse("posts:delete", args=[post.pk]) in html
    assert "Repost" not in buttons(html)  # not one's own
    for viewer in (bea, None):
        other = page(browser(viewer).get(post_url(post)))
        assert "Post options" not in other
        assert reverse("posts:edit", args=[post.pk]) not in other
    # And the author's pages answer nothing useful to someone else.
    before = snapshot()
    client = browser(bea)
    assert client.get(reverse("posts:edit", args=[post.pk])).status_code == 302
    assert client.post(reverse("posts:delete", args=[post.pk])).status_code == 302
    client.post(reverse("posts:archive", args=[post.pk]))
    client.post(reverse("posts:commenting_off", args=[post.pk]))
    assert snapshot() == before


def test_anonymous_visitors_see_a_public_post_and_are_asked_to_log_in(
    ana: User, publish: Publish
) -> None:
    post = publish(ana, caption="Hello")
    html = page(browser().get(post_url(post)))
    assert "Hello" in html
    assert f"{reverse('accounts:login')}?next=" in html
    assert 'id="comment-text"' not in html
    before = snapshot()
    response = browser().post(reverse("posts:like", args=[post.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert snapshot() == before


VIEWERS = ["stranger", "requested", "blocked", "blocking", "anonymous"]


def _viewer_of_private(kind: str, owner: User, make_user: MakeUser) -> User | None:
    if kind == "anonymous":
        return None
    viewer = make_user(f"v{kind}")
    if kind == "requested":
        graph.follow_create(follower=viewer, followee=owner)
    elif kind == "blocked":
        graph.block_create(blocker=owner, blocked=viewer)
    elif kind == "blocking":
        graph.block_create(blocker=viewer, blocked=owner)
    return viewer


@pytest.mark.parametrize("kind", VIEWERS)
def test_a_private_post_is_missing_for_who_may_not_see_it(
    make_user: MakeUser, publish: Publish, kind: str
) -> None:
    owner = make_user("lena", is_private=True)
    post = publish(owner, caption="only friends #secret")
    viewer = _viewer_of_private(kind, owner, make_user)
    client = browser(viewer)
    missing = client.get(reverse("posts:detail", args=[post.pk + 1]))
    response = client.get(post_url(post))
    assert response.status_code == missing.status_code == 404
    assert same_body(response) == same_body(missing)
    assert "only friends" not in page(response)
    for name in ("likers", "comments"):
        hidden = client.get(reverse(f"posts:{name}", args=[post.pk]), headers=HTMX)
        assert hidden.status_code in (302, 404)
        assert "only friends" not in page(hidden)
    # The grid: hidden, or the profile itself is missing for a blocked pair.
    profile = client.get(reverse("profile", args=["lena"]))
    if kind in ("blocked", "blocking"):
        assert profile.status_code == 404
    else:
        assert profile.status_code == 200
        assert tiles(page(profile)) == []
        assert "This account is private" in page(profile)
    # Writes through the pages change nothing.
    if viewer is not None:
        before = snapshot()
        for name in ("like", "save", "repost"):
            client.post(reverse(f"posts:{name}", args=[post.pk]))
            assert (
                client.post(reverse(f"posts:{name}", args=[post.pk]), headers=HTMX).status_code
                == 404
            )
        client.post(reverse("posts:comments", args=[post.pk]), {"text": "hi"})
        assert snapshot() == before


def test_an_approved_follower_and_the_owner_see_the_private_post_and_grid(
    make_user: MakeUser, publish: Publish
) -> None:
    owner = make_user("lena", is_private=True)
    friend = make_user("rui")
    follow(friend, owner)
    post = publish(owner, caption="only friends")
    for viewer in (friend, owner):
        client = browser(viewer)
        response = client.get(post_url(post))
        assert response.status_code == 200
        assert "only friends" in page(response)
        profile = page(client.get(reverse("profile", args=["lena"])))
        assert tiles(profile) == [post.pk]
        assert "This account is private" not in profile
    # No repost of a private post, even for a follower.
    assert "Repost" not in buttons(page(browser(friend).get(post_url(post))))


def test_an_archived_post_is_the_author_s_alone(ana: User, bea: User, publish: Publish) -> None:
    kept, archived = publish(ana, caption="kept"), publish(ana, caption="put away")
    services.post_archive(actor=ana, post_id=archived.pk)
    assert browser(bea).get(post_url(archived)).status_code == 404
    assert browser().get(post_url(archived)).status_code == 404
    own = page(browser(ana).get(post_url(archived)))
    assert "This post is archived" in own
    assert "Show on profile" in buttons(own)
    assert tiles(page(browser(bea).get(reverse("profile", args=["ana"])))) == [kept.pk]
    assert tiles(page(browser(ana).get(reverse("profile", args=["ana"])))) == [kept.pk]
    assert tiles(page(browser(ana).get(reverse("posts:archive_list")))) == [archived.pk]
    response = browser(ana).post(reverse("posts:unarchive", args=[archived.pk]))
    assert response.status_code == 302
    assert tiles(page(browser(bea).get(reverse("profile", args=["ana"])))) == [archived.pk, kept.pk]


def test_comments_off_hides_the_form_and_refuses_comments(
    ana: User, bea: User, publish: Publish
) -> None:
    post = publish(ana)
    services.comment_create(author=bea, post_id=post.pk, text="before it closed")
    response = browser(ana).post(reverse("posts:commenting_off", args=[post.pk]))
    assert response.status_code == 302
    assert response["Location"] == post_url(post)
    post.refresh_from_db()
    assert post.comments_enabled is False
    html = page(browser(bea).get(post_url(post)))
    assert "Commenting is turned off" in html
    assert 'id="comment-text"' not in html
    assert "before it closed" in html
    assert ">Reply<" not in html
    before = snapshot()
    refused = browser(bea).post(
        reverse("posts:comments", args=[post.pk]), {"text": "let me in"}, headers=HTMX
    )
    assert refused.status_code == 422
    assert "Comments are turned off for this post." in page(refused)
    assert snapshot() == before
    browser(ana).post(reverse("posts:commenting_on", args=[post.pk]))
    assert 'id="comment-text"' in page(browser(bea).get(post_url(post)))


# --- Likes, saves, reposts -------------------------------------------------------------------


def test_like_and_unlike_in_place_and_without_javascript(
    ana: User, bea: User, publish: Publish
) -> None:
    post = publish(ana)
    client = browser(bea)
    bar = client.post(reverse("posts:like", args=[post.pk]), headers=HTMX)
    assert bar.status_code == 200
    html = page(bar)
    assert html.lstrip().startswith("<section")
    assert "<html" not in html
    assert "Unlike" in buttons(html)
    assert "1 like<" in html
    assert Like.objects.filter(post=post, user=bea).exists()
    # Twice changes nothing.
    client.post(reverse("posts:like", args=[post.pk]), headers=HTMX)
    post.refresh_from_db()
    assert post.like_count == 1
    # Without JavaScript: back to the page.
    response = client.post(reverse("posts:unlike", args=[post.pk]), {"next": post_url(post)})
    assert response.status_code == 302
    assert response["Location"] == post_url(post)
    assert not Like.objects.exists()
    # Likers list.
    services.like_create(user=bea, post_id=post.pk)
    likers = page(browser(ana).get(reverse("posts:likers", args=[post.pk])))
    assert ">bea<" in likers


def test_a_hidden_like_count_is_shown_to_the_author_only(
    ana: User, bea: User, make_user: MakeUser, publish: Publish
) -> None:
    post = publish(ana, hide_like_count=True)
    for name in ("cid", "dan"):
        services.like_create(user=make_user(name), post_id=post.pk)
    other = page(browser(bea).get(post_url(post)))
    assert "2 likes" not in other
    assert "Liked by" in other
    assert "others" in other
    own = page(browser(ana).get(post_url(post)))
    assert "2 likes" in own
    assert "only you can see this" in own
    assert "Show like count" in buttons(own)
    browser(ana).post(reverse("posts:like_count_show", args=[post.pk]))
    assert "2 likes" in page(browser(bea).get(post_url(post)))


def test_save_and_repost(ana: User, bea: User, publish: Publish) -> None:
    post = publish(ana)
    client = browser(bea)
    html = page(client.post(reverse("posts:save", args=[post.pk]), headers=HTMX))
    assert "Remove from saved" in buttons(html)
    assert Save.objects.filter(post=post, user=bea).exists()
    assert tiles(page(client.get(reverse("posts:saved")))) == [post.pk]
    html = page(client.post(reverse("posts:repost", args=[post.pk]), headers=HTMX))
    assert "Undo repost" in buttons(html)
    assert Repost.objects.filter(post=post, user=bea).exists()
    # Reposting one's own post is refused with a message, and changes nothing.
    before = snapshot()
    own = browser(ana).post(reverse("posts:repost", args=[post.pk]), headers=HTMX)
    assert own.status_code == 409
    assert "can't repost your own post" in page(own)
    assert snapshot() == before


def test_save_into_collections(ana: User, bea: User, make_user: MakeUser, publish: Publish) -> None:
    post = publish(ana)
    client = browser(bea)
    bar = client.post(
        reverse("posts:collection_new", args=[post.pk]), {"name": "Blue hours"}, headers=HTMX
    )
    assert bar.status_code == 200
    collection = Collection.objects.get(owner=bea)
    assert collection.name == "Blue hours"
    assert CollectionItem.objects.filter(collection=collection, post=post).exists()
    assert Save.objects.filter(user=bea, post=post).exists()
    assert 'aria-pressed="true">Blue hours' in page(bar)
    saved = page(client.get(reverse("posts:saved")))
    assert "Blue hours" in saved
    in_collection = page(client.get(reverse("posts:collection", args=[collection.pk])))
    assert tiles(in_collection) == [post.pk]
    # Out of the collection, still saved.
    client.post(reverse("posts:collection_remove", args=[post.pk, collection.pk]), headers=HTMX)
    assert not CollectionItem.objects.exists()
    assert Save.objects.filter(user=bea, post=post).exists()
    # Someone else's collection is missing, and nothing changes.
    cid = make_user("cid")
    before = snapshot()
    other = browser(cid)
    assert other.get(reverse("posts:collection", args=[collection.pk])).status_code == 404
    refused = other.post(
        reverse("posts:collection_add", args=[post.pk, collection.pk]), headers=HTMX
    )
    assert refused.status_code == 404
    assert snapshot() == before
    # A name already taken is refused with its reason.
    taken = client.post(
        reverse("posts:collection_new", args=[post.pk]), {"name": "blue HOURS"}, headers=HTMX
    )
    assert taken.status_code == 409
    assert "already have a collection" in page(taken)
    assert Collection.objects.count() == 1


def test_composer_knows_where_to_share(ana: User) -> None:
    html = page(browser(ana).get(reverse("media:composer")))
    assert f'data-posts-api="{reverse("api:post_create")}"' in html
    assert f'data-places-api="{reverse("api:place_search")}"' in html
    assert 'data-post-url="/p/0/"' in html
    assert 'data-items-max="20"' in html
    assert 'maxlength="2200"' in html
    assert "multiple" in html


# --- Comments and replies --------------------------------------------------------------------


def test_comment_reply_like_and_delete(ana: User, bea: User, publish: Publish) -> None:
    post = publish(ana)
    client = browser(bea)
    created = client.post(
        reverse("posts:comments", args=[post.pk]), {"text": "Lovely light @ana"}, headers=HTMX
    )
    assert created.status_code == 200
    comment = Comment.objects.get()
    html = page(created)
    # A fresh, empty box, and the comment put at the top of the list (out of band).
    assert 'id="comment-form"' in html
    assert 'hx-swap-oob="afterbegin:#comments"' in html
    assert f'id="comment-{comment.pk}"' in html
    assert f'href="{reverse("profile", args=["ana"])}">@ana</a>' in html
    reply = browser(ana).post(
        reverse("posts:comments", args=[post.pk]),
        {"text": "@bea thanks!", "parent_id": str(comment.pk)},
        headers=HTMX,
    )
    assert f'hx-swap-oob="beforeend:#replies-{comment.pk}"' in page(reply)
    answer = Comment.objects.exclude(pk=comment.pk).get()
    assert answer.parent_id == comment.pk
    # The page shows the thread closed, with its count; opening it lists the reply.
    html = page(browser(ana).get(post_url(post)))
    assert "View replies (1)" in html
    thread = page(client.get(reverse("posts:replies", args=[post.pk, comment.pk]), headers=HTMX))
    assert f'id="comment-{answer.pk}"' in thread
    assert "Hide replies" in buttons(thread)
    # Without JavaScript the thread opens on the post's page.
    no_js = client.get(reverse("posts:replies", args=[post.pk, comment.pk]))
    assert no_js.status_code == 302
    opened = page(client.get(no_js["Location"]))
    assert f'id="comment-{answer.pk}"' in opened
    # Like a comment in place.
    liked = page(
        browser(ana).post(reverse("posts:comment_like", args=[post.pk, comment.pk]), headers=HTMX)
    )
    assert "Unlike comment by bea" in buttons(liked)
    comment.refresh_from_db()
    assert comment.like_count == 1
    # The post's author may delete any comment; others may not delete hers.
    before = snapshot()
    refused = browser(bea).post(
        reverse("posts:comment_delete", args=[post.pk, answer.pk]), headers=HTMX
    )
    assert refused.status_code == 403
    assert snapshot() == before
    gone = browser(ana).post(
        reverse("posts:comment_delete", args=[post.pk, comment.pk]), headers=HTMX
    )
    assert gone.status_code == 200
    assert page(gone) == ""
    assert not Comment.objects.exists()


def test_delete_buttons_show_for_the_comment_s_and_the_post_s_author(
    ana: User, bea: User, make_user: MakeUser, publish: Publish
) -> None:
    cid = make_user("cid")
    post = publish(ana)
    services.comment_create(author=bea, post_id=post.pk, text="by bea")
    assert "Delete comment by bea" in buttons(page(browser(ana).get(post_url(post))))
    assert "Delete comment by bea" in buttons(page(browser(bea).get(post_url(post))))
    assert "Delete comment by bea" not in buttons(page(browser(cid).get(post_url(post))))


def test_a_bad_comment_is_shown_with_its_reason(ana: User, bea: User, publish: Publish) -> None:
    post = publish(ana)
    before = snapshot()
    client = browser(bea)
    empty = client.post(reverse("posts:comments", args=[post.pk]), {"text": "  "}, headers=HTMX)
    assert empty.status_code == 422
    assert "Write something." in page(empty)
    long = client.post(
        reverse("posts:comments", args=[post.pk]), {"text": "x" * 2201}, headers=HTMX
    )
    assert long.status_code == 422
    assert 'role="alert"' in page(long)
    no_js = client.post(reverse("posts:comments", args=[post.pk]), {"text": ""}, follow=True)
    assert "Write something." in page(no_js)
    assert snapshot() == before


def test_pinned_comment_comes_first(ana: User, bea: User, publish: Publish) -> None:
    post = publish(ana)
    first = services.comment_create(author=bea, post_id=post.pk, text="the first one")
    services.comment_create(author=bea, post_id=post.pk, text="the latest one")
    browser(ana).post(reverse("posts:comment_pin", args=[post.pk, first.pk]))
    html = page(browser(bea).get(post_url(post)))
    assert html.index("the first one") < html.index("the latest one")
    assert "Pinned by ana" in html


def test_no_js_reply_link_prefills_the_form(ana: User, bea: User, publish: Publish) -> None:
    post = publish(ana)
    comment = services.comment_create(author=bea, post_id=post.pk, text="hello")
    html = page(browser(ana).get(f"{post_url(post)}?reply_to={comment.pk}"))
    assert f'name="parent_id" value="{comment.pk}"' in html
    assert ">@bea </textarea>" in html


# --- The author's menu -------------------------------------------------------------------


def test_pin_edit_and_delete(ana: User, publish: Publish) -> None:
    older, newer = publish(ana), publish(ana, caption="old words")
    client = browser(ana)
    client.post(reverse("posts:pin", args=[older.pk]))
    profile = page(client.get(reverse("profile", args=["ana"])))
    assert tiles(profile) == [older.pk, newer.pk]
    assert ">Pinned<" in profile
    # Edit the caption, the place and an alt text; the history keeps the change.
    item = newer.items.get()
    response = client.post(
        reverse("posts:edit", args=[newer.pk]),
        {
            "caption": "new words #fresh",
            "place_name": "Porto",
            "place_address": "",
            f"alt_{item.media_id}": "A grey square",
            "comments_enabled": "on",
        },
    )
    assert response.status_code == 302
    newer.refresh_from_db()
    assert newer.caption == "new words #fresh"
    assert newer.place is not None
    assert newer.place.name == "Porto"
    assert newer.items.get().alt_text == "A grey square"
    assert newer.hide_like_count is False
    edit_page = page(client.get(reverse("posts:edit", args=[newer.pk])))
    assert "old words" in edit_page
    assert "new words #fresh" in edit_page
    # Too long a caption: the form says so and nothing changes.
    before = snapshot()
    refused = client.post(
        reverse("posts:edit", args=[newer.pk]),
        {"caption": "x" * 2201, "place_name": "Porto", "comments_enabled": "on"},
    )
    assert refused.status_code == 422
    assert "2,200" in page(refused) or "2200" in page(refused)
    assert snapshot() == before
    # Delete asks first, then deletes.
    confirm = client.get(reverse("posts:delete", args=[older.pk]))
    assert "Delete post?" in page(confirm)
    response = client.post(reverse("posts:delete", args=[older.pk]))
    assert response["Location"] == reverse("profile", args=["ana"])
    assert not Post.objects.filter(pk=older.pk).exists()


# --- Grids -----------------------------------------------------------------------------------


def test_profile_grid_pages_by_max_id(ana: User, bea: User, publish: Publish, settings) -> None:
    posts = [publish(ana) for _ in range(26)]
    first = page(browser(bea).get(reverse("profile", args=["ana"])))
    shown = tiles(first)
    assert shown == [p.pk for p in reversed(posts)][:24]
    more = re.search(r'hx-get="\?max_id=(\d+)"', first)
    assert more is not None
    rest = browser(bea).get(
        f"{reverse('profile', args=['ana'])}?max_id={more.group(1)}", headers=HTMX
    )
    assert rest.status_code == 200
    assert 'hx-swap-oob="beforeend:#grid-main"' in page(rest)
    assert tiles(page(rest)) == [posts[1].pk, posts[0].pk]
    assert "<html" not in page(rest)


def test_grid_tiles_mark_carousels(ana: User, publish: Publish) -> None:
    single, carousel = publish(ana), publish(ana, count=3)
    html = page(browser().get(reverse("profile", args=["ana"])))
    assert tiles(html) == [carousel.pk, single.pk]
    tile = html[html.index(f'data-tile="{carousel.pk}"') :]
    assert "Carousel" in tile[: tile.index("</a>")]
    tile = html[html.index(f'data-tile="{single.pk}"') :]
    assert "Carousel" not in tile[: tile.index("</a>")]


def test_hashtag_and_place_pages_list_only_visible_posts(
    make_user: MakeUser, publish: Publish
) -> None:
    ana, lena, viewer = make_user("ana"), make_user("lena", is_private=True), make_user("zed")
    spot = PlaceSpec(name="Praça", address="Porto")
    public = publish(ana, caption="#azul", place=spot)
    private = publish(lena, caption="#azul", place=spot)
    archived = publish(ana, caption="#azul", place=spot)
    services.post_archive(actor=ana, post_id=archived.pk)
    services.like_create(user=ana, post_id=public.pk)
    tag_page = browser(viewer).get(reverse("posts:tag", args=["azul"]))
    assert tag_page.status_code == 200
    html = page(tag_page)
    assert "#azul" in html
    assert "Most recent" in html
    assert "Top posts" not in html  # one post: the same tile twice would say nothing
    assert set(tiles(html)) == {public.pk}
    place_page = browser(viewer).get(reverse("posts:place", args=[public.place_id]))
    assert set(tiles(page(place_page))) == {public.pk}
    assert "Praça" in page(place_page)
    # A follower of the private account sees its post too.
    follow(viewer, lena)
    assert set(tiles(page(browser(viewer).get(reverse("posts:tag", args=["azul"]))))) == {
        public.pk,
        private.pk,
    }
    # Any case finds the tag; an unknown tag or place is missing.
    response = browser().get(reverse("posts:tag", args=["AZUL"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("posts:tag", args=["azul"])
    unused = browser().get(reverse("posts:tag", args=["nothing"]))
    assert unused.status_code == 200
    assert "No posts yet" in page(unused)
    assert browser().get("/explore/tags/no-thing/").status_code == 404  # not a hashtag
    assert browser().get(reverse("posts:place", args=[1])).status_code == 404


def test_hashtag_page_shows_top_posts_first_when_there_are_enough(
    ana: User, bea: User, publish: Publish
) -> None:
    posts = [publish(ana, caption="#mar") for _ in range(11)]
    liked = posts[3]
    services.like_create(user=bea, post_id=liked.pk)
    html = page(browser(bea).get(reverse("posts:tag", args=["mar"])))
    top, recent = html.split("Most recent", 1)
    assert "Top posts" in top
    assert tiles(top)[0] == liked.pk  # the most engaging first
    assert len(tiles(top)) == 9
    assert tiles(recent) == [p.pk for p in reversed(posts)]


def test_hashtag_page_of_a_blocked_author_hides_the_post(
    make_user: MakeUser, publish: Publish
) -> None:
    ana, viewer = make_user("ana"), make_user("zed")
    post = publish(ana, caption="#verde")
    graph.block_create(blocker=ana, blocked=viewer)
    answer = browser(viewer).get(reverse("posts:tag", args=["verde"]))
    unknown = browser(viewer).get(reverse("posts:tag", args=["nothing"]))
    assert answer.status_code == unknown.status_code == 200
    assert same_body(answer).replace("verde", "NAME") == same_body(unknown).replace(
        "nothing", "NAME"
    )
    assert tiles(page(browser().get(reverse("posts:tag", args=["verde"])))) == [post.pk]


def test_malformed_cursors_are_missing_pages(ana: User, publish: Publish) -> None:
    post = publish(ana)
    assert browser().get(f"{post_url(post)}?comments_max_id=abc").status_code == 404
    assert browser().get(f"{reverse('profile', args=['ana'])}?max_id=-1").status_code == 404
