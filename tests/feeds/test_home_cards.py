"""What a home feed card shows: who and where, the media at their shape, the likes line, the
caption, the latest comments, and the actions that answer for the card in place."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.feeds import selectors as feed_selectors
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.media.services import media_upload
from glimpse.media.tasks import media_process
from glimpse.posts import services as post_services
from glimpse.posts.models import Comment, Post
from glimpse.posts.selectors import comments as comment_selectors
from glimpse.posts.selectors import engagement
from glimpse.posts.services import PlaceSpec
from tests.feeds.conftest import follow
from tests.posts.conftest import small_jpeg

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def home(make_user: Callable[..., User], act: Any) -> Callable[[User], str]:
    """Return a reader of the viewer's home page as HTML."""

    def read(viewer: User) -> str:
        client = Client()
        client.force_login(viewer)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        return response.content.decode()

    return read


def card_of(html: str, post: Post) -> str:
    """Return the HTML of one post's card on a page."""
    match = re.search(
        rf'<article class="card feed-card" id="post-{post.pk}".*?</article>', html, re.S
    )
    assert match, f"no card for post {post.pk}"
    return match.group(0)


def text_of(html: str) -> str:
    """Return the words of some HTML, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def without_tokens(html: str) -> str:
    """Return some HTML with its forms' CSRF tokens taken out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def likes_line(html: str) -> str:
    """Return the words of the likes line in some HTML."""
    match = re.search(r'<p class="likes".*?</p>', html, re.S)
    assert match, "no likes line"
    return text_of(match.group(0))


def photo(owner: User, size: tuple[int, int]) -> MediaItem:
    """Upload and process one photo of this size."""
    raw = small_jpeg(size[0] + size[1], size)
    item = media_upload(owner=owner, upload=io.BytesIO(raw), size_bytes=len(raw), alt_text="")
    media_process.apply(args=(item.pk, item.version), throw=True)
    item.refresh_from_db()
    return item


@pytest.fixture
def net(make_user: Callable[..., User], act: Any) -> dict[str, User]:
    """The viewer follows ana and rita; bob, cid and dan are strangers."""
    people = {name: make_user(name) for name in ("viewer", "ana", "rita", "bob", "cid", "dan")}
    act(lambda: follow(people["viewer"], people["ana"]))
    act(lambda: follow(people["viewer"], people["rita"]))
    return people


def like(user: User, post: Post) -> None:
    post_services.like_create(user=user, post_id=post.pk)


def comment(user: User, post: Post, text: str) -> Comment:
    return post_services.comment_create(author=user, post_id=post.pk, text=text)


def test_a_card_shows_the_author_the_place_a_short_time_and_the_post_at_its_shape(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    ana = net["ana"]
    media = photo(ana, (96, 64))
    post = act(
        lambda: post_services.post_create(
            author=ana, media_ids=[media.pk], caption="Low tide", place=PlaceSpec(name="Cascais")
        )
    )
    card = card_of(home(net["viewer"]), post)
    assert 'class="avatar avatar--sm' in card
    assert f'href="{reverse("profile", args=["ana"])}"' in card
    assert f'href="{reverse("posts:place", args=[post.place_id])}">Cascais</a>' in card
    # A short time, the full date in its title and its datetime.
    time = re.search(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', card)
    assert time is not None
    assert time.group(1).startswith(str(post.created_at.year))
    assert str(post.created_at.year) in time.group(2)
    assert time.group(3) == "now"
    # The photo's own shape, not a square crop; the carousel partial of the post page.
    assert "aspect-ratio: 96 / 64" in card
    assert "ptile" not in card
    assert "data-carousel" in card


@pytest.mark.parametrize(("size", "ratio"), [((64, 128), 0.8), ((200, 50), 1.91), ((80, 80), 1.0)])
def test_the_media_keep_their_shape_within_4_5_and_1_91_1(
    net: dict[str, User], act: Any, home: Any, size: tuple[int, int], ratio: float
) -> None:
    ana = net["ana"]
    media = photo(ana, size)
    post = act(lambda: post_services.post_create(author=ana, media_ids=[media.pk]))
    shape = re.search(r"aspect-ratio: (\d+) / (\d+)", card_of(home(net["viewer"]), post))
    assert shape is not None
    assert int(shape.group(1)) / int(shape.group(2)) == pytest.approx(ratio, abs=0.01)


def test_the_likes_line_names_a_followed_liker_with_the_others_counted(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    post = post_by(net["ana"])
    for name in ("bob", "rita", "cid", "dan"):  # rita is followed: she is named, not dan
        act(lambda name=name: like(net[name], post))
    assert likes_line(card_of(home(net["viewer"]), post)) == "Liked by rita and 3 others"


def test_the_likes_line_says_one_like_and_never_names_the_viewer(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    post = post_by(net["ana"])
    act(lambda: like(net["viewer"], post))
    card = card_of(home(net["viewer"]), post)
    assert likes_line(card) == "1 like"
    assert "1 likes" not in card
    assert 'aria-pressed="true" aria-label="Unlike"' in card


def test_a_hidden_like_count_names_a_liker_and_others_but_no_number(
    net: dict[str, User], media_for: Any, act: Any, home: Any
) -> None:
    [media] = media_for(net["ana"], 1)
    post = act(
        lambda: post_services.post_create(
            author=net["ana"], media_ids=[media.pk], hide_like_count=True
        )
    )
    for name in ("bob", "cid", "dan"):
        act(lambda name=name: like(net[name], post))
    card = card_of(home(net["viewer"]), post)
    assert likes_line(card) == "Liked by dan and others"
    assert "3" not in likes_line(card)
    # Its author still sees the count, and that only they do.
    own = card_of(home(net["ana"]), post)
    assert "Liked by dan and 2 others" in text_of(own)
    assert "only you can see the count" in own


def test_nobody_liked_means_no_likes_line(
    net: dict[str, User], post_by: Callable[..., Post], home: Any
) -> None:
    post = post_by(net["ana"])
    assert '<p class="likes"' not in card_of(home(net["viewer"]), post)


def test_a_long_caption_folds_behind_more_and_a_short_one_does_not(
    net: dict[str, User], post_by: Callable[..., Post], home: Any
) -> None:
    short = post_by(net["ana"], caption="Low tide, high spirits #travel")
    long = post_by(net["ana"], caption="A long walk along the cliffs " * 8)
    html = home(net["viewer"])
    assert "data-caption-more" not in card_of(html, short)
    assert "is-clamped" not in card_of(html, short)
    assert f'href="{reverse("posts:tag", args=["travel"])}"' in card_of(html, short)
    folded = card_of(html, long)
    assert "is-clamped" in folded
    assert re.search(r'<a class="feed-card__more" href="[^"]+"[^>]*>more</a>', folded)


def test_the_two_latest_comments_show_under_view_all(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    post = post_by(net["ana"])
    act(lambda: comment(net["bob"], post, "first!"))
    act(lambda: comment(net["rita"], post, "lovely @ana"))
    act(lambda: comment(net["cid"], post, "where is this?"))
    card = card_of(home(net["viewer"]), post)
    words = text_of(card)
    assert "View all 3 comments" in words
    assert "first!" not in words
    # The two latest, oldest first, as a conversation reads; mentions linked.
    assert words.index("rita lovely @ana") < words.index("cid where is this?")
    assert f'<a class="mention" href="{reverse("profile", args=["ana"])}">@ana</a>' in card


def test_one_comment_shows_without_view_all(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    post = post_by(net["ana"])
    act(lambda: comment(net["bob"], post, "first!"))
    words = text_of(card_of(home(net["viewer"]), post))
    assert "bob first!" in words
    assert "View all" not in words
    assert "View 1 comment" not in words


def test_a_blocked_accounts_comment_and_like_leave_the_card_at_once(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    viewer, bob = net["viewer"], net["bob"]
    post = post_by(net["ana"])
    act(lambda: comment(net["cid"], post, "older comment"))
    act(lambda: comment(bob, post, "rude remark"))
    act(lambda: like(bob, post))
    before = text_of(card_of(home(viewer), post))  # caches the cards
    assert "bob rude remark" in before
    assert "Liked by bob" in before
    act(lambda: graph.block_create(blocker=viewer, blocked=bob))
    after = text_of(card_of(home(viewer), post))
    assert "rude remark" not in after
    assert "bob" not in after
    assert "cid older comment" in after  # the next comment the viewer may see takes its place
    # Blocked the other way round, the same.
    act(lambda: graph.block_delete(blocker=viewer, blocked=bob))
    act(lambda: graph.block_create(blocker=bob, blocked=viewer))
    assert "rude remark" not in text_of(card_of(home(viewer), post))


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, int], None]:
    """Return a setter of how far back a card's previews look (the state query is compiled
    again with it)."""

    def set_bound(name: str, value: int) -> None:
        module = engagement if name == "LIKES_SEARCHED" else comment_selectors
        monkeypatch.setattr(module, name, value)
        monkeypatch.setattr(feed_selectors._STATES[True], "_compiled", {})

    return set_bound


def test_a_followed_liker_is_named_from_the_newest_likes_only(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any, searched: Any
) -> None:
    searched("LIKES_SEARCHED", 2)
    post = post_by(net["ana"])
    for name in ("rita", "bob", "cid"):  # rita, followed, liked before the two newest
        act(lambda name=name: like(net[name], post))
    assert likes_line(card_of(home(net["viewer"]), post)) == "Liked by cid and 2 others"
    act(lambda: like(net["ana"], post))
    act(lambda: like(net["rita"], post))  # again among the newest: rita is named
    act(lambda: post_services.like_delete(user=net["rita"], post_id=post.pk))
    act(lambda: like(net["rita"], post))
    assert likes_line(card_of(home(net["viewer"]), post)) == "Liked by rita and 3 others"


def test_a_cards_comments_are_looked_for_among_the_newest_only(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any, searched: Any
) -> None:
    searched("COMMENTS_SEARCHED", 2)
    viewer, bob = net["viewer"], net["bob"]
    post = post_by(net["ana"])
    act(lambda: comment(net["rita"], post, "older comment"))
    act(lambda: comment(bob, post, "rude remark"))
    act(lambda: comment(net["cid"], post, "nice"))
    act(lambda: graph.block_create(blocker=viewer, blocked=bob))
    words = text_of(card_of(home(viewer), post))
    assert "cid nice" in words
    assert "rude remark" not in words
    # The two newest were searched, and one of them may not be seen: the older one is not
    # looked for (the post page lists every comment).
    assert "older comment" not in words


def test_a_comment_hidden_by_reports_or_deleted_leaves_the_card(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    post = post_by(net["ana"])
    kept = act(lambda: comment(net["cid"], post, "kept"))
    hidden = act(lambda: comment(net["bob"], post, "reported"))
    gone = act(lambda: comment(net["dan"], post, "deleted later"))
    assert "deleted later" in home(net["viewer"])
    act(lambda: graph.content_hide(kind="comment", target_id=hidden.pk))
    act(lambda: post_services.comment_delete(actor=net["dan"], comment_id=gone.pk))
    words = text_of(card_of(home(net["viewer"]), post))
    assert "reported" not in words
    assert "deleted later" not in words
    assert f"cid {kept.text}" in words


def test_comments_turned_off_leave_no_comment_box(
    net: dict[str, User], media_for: Any, act: Any, home: Any
) -> None:
    [media] = media_for(net["ana"], 1)
    post = act(
        lambda: post_services.post_create(
            author=net["ana"], media_ids=[media.pk], comments_enabled=False
        )
    )
    card = card_of(home(net["viewer"]), post)
    assert "data-comment-form" not in card
    assert 'aria-label="Comment"' not in card


def test_liking_from_a_card_answers_the_cards_action_bar(
    net: dict[str, User], post_by: Callable[..., Post], act: Any
) -> None:
    post = post_by(net["ana"])
    act(lambda: like(net["rita"], post))
    client = Client()
    client.force_login(net["viewer"])
    answer = client.post(
        reverse("posts:like", args=[post.pk]), {"in_feed": "1", "next": "/"}, headers=HTMX
    )
    assert answer.status_code == 200
    bar = answer.content.decode()
    assert 'aria-label="Unlike"' in bar
    assert likes_line(bar) == "Liked by rita and 1 other"
    assert 'name="in_feed" value="1"' in bar  # the next action answers for the card too
    assert "collections" not in bar
    assert "post__date" not in bar
    assert Post.objects.get(pk=post.pk).like_count == 2
    # From the post page, the post page's bar, as before.
    page_bar = client.post(reverse("posts:unlike", args=[post.pk]), headers=HTMX).content.decode()
    assert "collections" in page_bar
    assert "in_feed" not in page_bar
    # Without JavaScript, back to the card in the feed.
    plain = client.post(
        reverse("posts:like", args=[post.pk]), {"in_feed": "1", "next": f"/#post-{post.pk}"}
    )
    assert plain.status_code == 302
    assert plain["Location"] == f"/#post-{post.pk}"


def test_commenting_from_a_card_puts_the_comment_in_the_cards_preview(
    net: dict[str, User], post_by: Callable[..., Post]
) -> None:
    post = post_by(net["ana"])
    client = Client()
    client.force_login(net["viewer"])
    answer = client.post(
        reverse("posts:comments", args=[post.pk]), {"in_feed": "1", "text": "so good"}, headers=HTMX
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'id="comment-form-{post.pk}"' in html  # a fresh box for the same card
    assert f'hx-swap-oob="beforeend:#feed-comments-{post.pk}"' in html
    assert "viewer</a> so good" in html
    assert Comment.objects.get(post=post).text == "so good"
    refused = client.post(
        reverse("posts:comments", args=[post.pk]), {"in_feed": "1", "text": " "}, headers=HTMX
    )
    assert refused.status_code == 422
    assert f'id="comment-form-{post.pk}"' in refused.content.decode()
    assert Comment.objects.filter(post=post).count() == 1


def test_the_end_of_the_feed_loads_the_next_page_as_it_scrolls_into_view(
    net: dict[str, User], post_by: Callable[..., Post], home: Any
) -> None:
    for n in range(21):
        post_by(net["ana"], caption=f"post {n}")
    html = home(net["viewer"])
    more = re.search(r'<a class="btn btn--secondary" href="\?max_id=\d+"[^>]*>', html)
    assert more is not None
    assert 'hx-trigger="click, intersect once"' in more.group(0)
    assert "Welcome" not in html  # no greeting above a feed that has posts


def test_a_card_drawn_before_shows_what_changed_since_on_the_next_load(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, home: Any
) -> None:
    """Cards are rendered once per distinct content (glimpse/core/fragments.py): a like, a
    comment and an edit each make the next load draw the card again."""
    post = post_by(net["ana"], caption="Low tide")
    before = card_of(home(net["viewer"]), post)
    # Kept, and the same but for the viewer's CSRF token (a new session here).
    assert without_tokens(card_of(home(net["viewer"]), post)) == without_tokens(before)
    act(lambda: like(net["rita"], post))
    act(lambda: comment(net["rita"], post, "Lovely light"))
    act(lambda: post_services.post_update(actor=net["ana"], post_id=post.pk, caption="High tide"))
    after = card_of(home(net["viewer"]), post)
    assert likes_line(after) == "Liked by rita"
    assert "Lovely light" in text_of(after)
    assert "High tide" in text_of(after)
    assert "Low tide" not in text_of(after)


def test_two_viewers_of_one_card_each_get_their_own_working_csrf_token(
    net: dict[str, User], post_by: Callable[..., Post], act: Any, make_user: Any
) -> None:
    post = post_by(net["ana"])
    other = make_user("other")
    act(lambda: follow(other, net["ana"]))
    tokens = []
    for viewer in (net["viewer"], other):
        client = Client(enforce_csrf_checks=True)
        client.force_login(viewer)
        card = card_of(client.get(reverse("home")).content.decode(), post)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card)
        assert found is not None
        tokens.append(found.group(1))
        answer = client.post(
            reverse("posts:like", args=[post.pk]),
            {"csrfmiddlewaretoken": found.group(1), "in_feed": "1", "next": "/"},
            headers=HTMX,
        )
        assert answer.status_code == 200
    assert tokens[0] != tokens[1]
    assert Post.objects.get(pk=post.pk).like_count == 2


def test_viewers_share_a_cards_media_and_caption_and_each_gets_their_own_action_bar(
    net: dict[str, User],
    post_by: Callable[..., Post],
    act: Any,
    make_user: Any,
    home: Any,
    fragments_rendered: list[dict[str, Any]],
) -> None:
    post = post_by(net["ana"], caption="Low tide")
    other = make_user("other")
    act(lambda: follow(other, net["ana"]))
    act(lambda: like(other, post))
    first = card_of(home(net["viewer"]), post)
    drawn_before = len(fragments_rendered)
    second = card_of(home(other), post)
    # The second viewer liked the post: only the action bar is drawn again for them.
    drawn_again = set().union(*fragments_rendered[drawn_before:])
    assert drawn_again == {"post", "liked_by", "here"}
    assert 'aria-label="Like"' in first
    assert 'aria-label="Unlike"' in second
    assert "Low tide" in text_of(first)
    assert "Low tide" in text_of(second)
