"""Comments: mentions, one level of replies, deletion rights, likes, one pinned per post."""

from __future__ import annotations

import pytest

from glimpse.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from glimpse.graph import services as graph
from glimpse.posts import selectors, services
from glimpse.posts.models import Comment, CommentMention, Post
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_comment_with_mentions_and_counts(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    comment = services.comment_create(
        author=bea, post_id=post.pk, text="  Hey @ana, see @nobody #notatag  "
    )
    assert comment.text == "Hey @ana, see @nobody #notatag"
    assert [m.account.username for m in CommentMention.objects.all()] == ["ana"]
    post.refresh_from_db()
    assert post.comment_count == 1


def test_a_reply_to_a_reply_joins_the_same_thread(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    top = services.comment_create(author=ana, post_id=post.pk, text="top")
    reply = services.comment_create(author=bea, post_id=post.pk, text="r1", parent_id=top.pk)
    deeper = services.comment_create(author=ana, post_id=post.pk, text="r2", parent_id=reply.pk)
    assert reply.parent_id == deeper.parent_id == top.pk
    top.refresh_from_db()
    assert top.reply_count == 2
    page = selectors.comment_list(viewer=None, post_id=post.pk)
    assert [c.text for c in page.items] == ["top"]
    replies = selectors.comment_list(viewer=None, post_id=post.pk, parent_id=top.pk)
    assert [c.text for c in replies.items] == ["r2", "r1"]
    with pytest.raises(NotFound):
        selectors.comment_list(viewer=None, post_id=post.pk, parent_id=reply.pk)


def test_a_parent_from_another_post_is_not_found(make_user, publish) -> None:
    ana = make_user("ana")
    one, two = publish(ana), publish(ana)
    other = services.comment_create(author=ana, post_id=two.pk, text="elsewhere")
    before = snapshot()
    with pytest.raises(NotFound):
        services.comment_create(author=ana, post_id=one.pk, text="x", parent_id=other.pk)
    assert snapshot() == before


@pytest.mark.parametrize("text", ["", "   ", "x" * 2201, " ".join(f"@u{n}" for n in range(21))])
def test_bad_comments_are_refused(make_user, publish, text) -> None:
    ana = make_user("ana")
    post = publish(ana)
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        services.comment_create(author=ana, post_id=post.pk, text=text)
    assert "text" in caught.value.fields
    assert snapshot() == before


def test_comments_off_refuses_everyone(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, comments_enabled=False)
    before = snapshot()
    for author in (bea, ana):
        with pytest.raises(PermissionDenied) as caught:
            services.comment_create(author=author, post_id=post.pk, text="hi")
        assert caught.value.code == "comments_disabled"
    assert snapshot() == before


def test_deletion_by_the_comment_author_or_the_post_author(make_user, publish) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    post = publish(ana)
    top = services.comment_create(author=bea, post_id=post.pk, text="top")
    reply = services.comment_create(author=cal, post_id=post.pk, text="r", parent_id=top.pk)
    services.comment_create(author=ana, post_id=post.pk, text="r2", parent_id=top.pk)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=cal, comment_id=top.pk)
    assert snapshot() == before
    services.comment_delete(actor=cal, comment_id=reply.pk)  # its author
    top.refresh_from_db()
    assert top.reply_count == 1
    assert Post.objects.get(pk=post.pk).comment_count == 2
    services.comment_delete(actor=ana, comment_id=top.pk)  # the post's author, with replies
    assert not Comment.objects.exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0
    with pytest.raises(NotFound):
        services.comment_delete(actor=ana, comment_id=top.pk)


def test_viewer_state_of_comments(make_user, publish) -> None:
    ana, bea, cal = make_user("ana"), make_user("bea"), make_user("cal")
    post = publish(ana)
    comment = services.comment_create(author=bea, post_id=post.pk, text="hi @cal")
    services.comment_like_create(user=cal, comment_id=comment.pk)
    liked = services.comment_like_create(user=cal, comment_id=comment.pk)
    assert liked.like_count == 1
    as_cal = selectors.comment_get(viewer=cal, comment_id=comment.pk)
    assert (as_cal.viewer_liked, as_cal.viewer_can_delete) == (True, False)
    assert [m.account.username for m in as_cal.mentions.all()] == ["cal"]
    for viewer in (ana, bea):
        assert selectors.comment_get(viewer=viewer, comment_id=comment.pk).viewer_can_delete
    assert services.comment_like_delete(user=cal, comment_id=comment.pk).like_count == 0


def test_one_pinned_comment_per_post_shown_first(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    first = services.comment_create(author=bea, post_id=post.pk, text="first")
    second = services.comment_create(author=bea, post_id=post.pk, text="second")
    third = services.comment_create(author=bea, post_id=post.pk, text="third")
    reply = services.comment_create(author=ana, post_id=post.pk, text="r", parent_id=first.pk)
    services.comment_pin(actor=ana, comment_id=first.pk)
    services.comment_pin(actor=ana, comment_id=second.pk)  # replaces the first
    texts = [c.text for c in selectors.comment_list(viewer=None, post_id=post.pk).items]
    assert texts == ["second", "third", "first"]
    assert Comment.objects.filter(pinned_at__isnull=False).count() == 1
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.comment_pin(actor=bea, comment_id=third.pk)
    with pytest.raises(Conflict):
        services.comment_pin(actor=ana, comment_id=reply.pk)
    assert snapshot() == before
    services.comment_unpin(actor=ana, comment_id=second.pk)
    texts = [c.text for c in selectors.comment_list(viewer=None, post_id=post.pk).items]
    assert texts == ["third", "second", "first"]


def test_comment_pages_follow_the_cursor(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana)
    for n in range(5):
        services.comment_create(author=ana, post_id=post.pk, text=f"c{n}")
    first = selectors.comment_list(viewer=None, post_id=post.pk, limit=3)
    rest = selectors.comment_list(viewer=None, post_id=post.pk, max_id=first.next_max_id)
    assert [c.text for c in [*first.items, *rest.items]] == ["c4", "c3", "c2", "c1", "c0"]


def test_the_author_edits_a_comment_and_its_mentions_follow(make_user, publish) -> None:
    ana, bea, cy = make_user("ana"), make_user("bea"), make_user("cy")
    post = publish(ana)
    comment = services.comment_create(author=bea, post_id=post.pk, text="hi @ana")
    edited = services.comment_update(actor=bea, comment_id=comment.pk, text=" now @cy ")
    assert edited.text == "now @cy"
    comment.refresh_from_db()
    assert comment.text == "now @cy"
    mentioned = CommentMention.objects.filter(comment=comment).values_list(
        "account__username", flat=True
    )
    assert list(mentioned) == [cy.username]


def test_only_the_comment_author_edits_it_and_nothing_changes(make_user, publish) -> None:
    ana, bea, stranger = make_user("ana"), make_user("bea"), make_user("zed")
    blocked, private = make_user("blo"), make_user("pri", is_private=True)
    post = publish(ana)
    comment = services.comment_create(author=bea, post_id=post.pk, text="mine")
    private_post = publish(private)
    own = services.comment_create(author=private, post_id=private_post.pk, text="theirs")
    graph.block_create(blocker=bea, blocked=blocked)
    before = (snapshot(), list(Comment.objects.values_list("text", flat=True)))
    # The post's author and a stranger may see it but not edit it.
    for actor in (ana, stranger):
        with pytest.raises(PermissionDenied):
            services.comment_update(actor=actor, comment_id=comment.pk, text="changed")
    # A blocked account, and a non-follower of a private account, do not even find it.
    with pytest.raises(NotFound):
        services.comment_update(actor=blocked, comment_id=comment.pk, text="changed")
    with pytest.raises(NotFound):
        services.comment_update(actor=stranger, comment_id=own.pk, text="changed")
    with pytest.raises(InvalidInput):
        services.comment_update(actor=bea, comment_id=comment.pk, text="   ")
    assert (snapshot(), list(Comment.objects.values_list("text", flat=True))) == before
