"""Every read and write goes through the one visibility policy: what a viewer may not see
does not exist for them, and refused writes change nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.graph import services as graph
from glimpse.posts import selectors, services
from glimpse.posts.models import Hashtag, Place
from glimpse.posts.services import ItemSpec, PeopleTagSpec, PlaceSpec
from tests.posts.conftest import follow, snapshot

pytestmark = pytest.mark.django_db


def _hide(case: str, author: User, viewer: User, post) -> None:
    """Put ``viewer`` in a position where ``post`` by ``author`` is hidden from them."""
    if case == "private":
        author.is_private = True
        author.save()
    elif case == "requested":
        author.is_private = True
        author.save()
        assert graph.follow_create(follower=viewer, followee=author) == "requested"
    elif case == "blocked_by_author":
        graph.block_create(blocker=author, blocked=viewer)
    elif case == "blocking_author":
        graph.block_create(blocker=viewer, blocked=author)
    elif case == "archived":
        services.post_archive(actor=author, post_id=post.pk)
    elif case == "inactive":
        author.is_active = False
        author.save()


CASES = ["private", "requested", "blocked_by_author", "blocking_author", "archived", "inactive"]


@pytest.mark.parametrize("case", CASES)
def test_a_hidden_post_is_missing_for_every_read(make_user, publish, case) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, caption="#shared", place=PlaceSpec(name="Spot"))
    services.comment_create(author=ana, post_id=post.pk, text="first")
    services.like_create(user=ana, post_id=post.pk)
    collection = services.collection_create(owner=bea, name="Mine")
    services.save_create(user=bea, post_id=post.pk, collection_id=collection.pk)
    _hide(case, ana, bea, post)
    reads: list[Callable[[], object]] = [
        lambda: selectors.post_get(viewer=bea, post_id=post.pk),
        lambda: selectors.comment_list(viewer=bea, post_id=post.pk),
        lambda: selectors.post_likers(viewer=bea, post_id=post.pk),
    ]
    for read in reads:
        with pytest.raises(NotFound) as caught:
            read()
        assert caught.value.message == "No post with this id."
    # No post bea may see uses the tag: to bea it is a tag never used.
    shown = selectors.hashtag_get(viewer=bea, name="shared")
    assert (shown.pk, getattr(shown, "visible_count", None)) == (None, 0)
    with pytest.raises(NotFound):
        selectors.place_get(viewer=bea, place_id=post.place_id)
    tag = Hashtag.objects.get(name="shared")
    assert selectors.hashtag_top_posts(viewer=bea, hashtag=tag) == []
    assert selectors.hashtag_recent_posts(viewer=bea, hashtag=tag).items == []
    place = Place.objects.get(pk=post.place_id)
    assert selectors.place_top_posts(viewer=bea, place=place) == []
    assert selectors.place_recent_posts(viewer=bea, place=place).items == []
    assert selectors.saved_posts(viewer=bea).items == []
    found = selectors.collection_get(viewer=bea, collection_id=collection.pk)
    assert (found.post_count, found.cover) == (0, None)
    assert selectors.collection_posts(viewer=bea, collection=found).items == []
    if case in ("blocked_by_author", "blocking_author", "inactive"):
        with pytest.raises(NotFound):
            selectors.account_posts(viewer=bea, username="ana")
    else:
        assert selectors.account_posts(viewer=bea, username="ana").items == []


@pytest.mark.parametrize("case", CASES)
def test_writes_on_a_hidden_post_are_refused_and_change_nothing(make_user, publish, case) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    comment = services.comment_create(author=ana, post_id=post.pk, text="mine")
    _hide(case, ana, bea, post)
    writes: list[Callable[[], object]] = [
        lambda: services.like_create(user=bea, post_id=post.pk),
        lambda: services.like_delete(user=bea, post_id=post.pk),
        lambda: services.save_create(user=bea, post_id=post.pk),
        lambda: services.repost_create(user=bea, post_id=post.pk),
        lambda: services.comment_create(author=bea, post_id=post.pk, text="hi"),
        lambda: services.comment_create(
            author=bea, post_id=post.pk, text="hi", parent_id=comment.pk
        ),
        lambda: services.comment_like_create(user=bea, comment_id=comment.pk),
        lambda: services.post_update(actor=bea, post_id=post.pk, caption="x"),
        lambda: services.post_delete(actor=bea, post_id=post.pk),
        lambda: services.post_pin(actor=bea, post_id=post.pk),
        lambda: services.comment_delete(actor=bea, comment_id=comment.pk),
    ]
    before = snapshot()
    for write in writes:
        with pytest.raises(NotFound):
            write()
    assert snapshot() == before


def test_followers_see_a_private_accounts_posts_and_the_author_always_does(
    make_user, publish
) -> None:
    ana, bea, cal = make_user("ana", is_private=True), make_user("bea"), make_user("cal")
    post = publish(ana, caption="#p")
    follow(bea, ana)
    for viewer in (ana, bea):
        assert selectors.post_get(viewer=viewer, post_id=post.pk).pk == post.pk
        assert [p.pk for p in selectors.account_posts(viewer=viewer, username="ana").items] == [
            post.pk
        ]
    for viewer in (cal, None):
        with pytest.raises(NotFound):
            selectors.post_get(viewer=viewer, post_id=post.pk)


def test_tags_mentions_comments_and_likers_across_a_block_are_left_out(make_user, publish) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    post = publish(
        ana,
        caption="with @bea and @cal",
        items=[ItemSpec(people_tags=[PeopleTagSpec("bea", 0, 0), PeopleTagSpec("cal", 1, 1)])],
    )
    services.comment_create(author=bea, post_id=post.pk, text="bea here")
    services.comment_create(author=cal, post_id=post.pk, text="cal here")
    services.like_create(user=bea, post_id=post.pk)
    services.like_create(user=cal, post_id=post.pk)
    graph.block_create(blocker=bea, blocked=cal)  # bea and cal no longer see each other
    seen = selectors.post_get(viewer=cal, post_id=post.pk)
    assert [t.account.username for t in seen.items.all()[0].people_tags.all()] == ["cal"]
    assert [m.account.username for m in seen.mentions.all()] == ["cal"]
    comments = selectors.comment_list(viewer=cal, post_id=post.pk).items
    assert [c.author.username for c in comments] == ["cal"]
    assert [u.username for u in selectors.post_likers(viewer=cal, post_id=post.pk).items] == ["cal"]
    # The counts stay what they are: they count every like and comment.
    assert (seen.like_count, seen.comment_count) == (2, 2)
    anonymous = selectors.post_get(viewer=None, post_id=post.pk)
    assert len(anonymous.items.all()[0].people_tags.all()) == 2


def test_a_private_account_comment_on_a_public_post_is_shown(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea", is_private=True)
    post = publish(ana)
    services.comment_create(author=bea, post_id=post.pk, text="from a private account")
    assert [c.text for c in selectors.comment_list(viewer=None, post_id=post.pk).items] == [
        "from a private account"
    ]
