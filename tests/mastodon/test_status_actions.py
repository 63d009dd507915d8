"""What an account does to a status through the client API: favourite, reblog, bookmark and
pin, each undone too; refused, and nothing changed, where the account may not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.posts import services
from glimpse.posts.models import Comment, CommentLike, Like, Post, Repost, Save
from tests.conftest import ApiClient
from tests.mastodon.entities import Status

pytestmark = pytest.mark.django_db


def _state(post: Post) -> tuple[Any, ...]:
    return (
        sorted(Like.objects.filter(post=post).values_list("user_id", flat=True)),
        sorted(Repost.objects.filter(post=post).values_list("user_id", flat=True)),
        sorted(Save.objects.filter(post=post).values_list("user_id", flat=True)),
        Post.objects.get(pk=post.pk).pinned_at,
        sorted(CommentLike.objects.filter(comment__post=post).values_list("user_id", flat=True)),
    )


@pytest.mark.parametrize(
    ("action", "undo", "flag"),
    [
        ("favourite", "unfavourite", "favourited"),
        ("reblog", "unreblog", "reblogged"),
        ("bookmark", "unbookmark", "bookmarked"),
    ],
)
def test_an_action_and_its_undoing_answer_the_status_as_the_account_now_sees_it(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
    action: str,
    undo: str,
    flag: str,
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    post = post_by(ana, "dawn")
    api = client_for(bob)
    done = api.post(f"statuses/{post.pk}/{action}")
    assert done.status_code == 200, done.content
    assert getattr(Status.model_validate(done.json()), flag) is True
    assert api.post(f"statuses/{post.pk}/{action}").status_code == 200  # twice changes nothing
    undone = Status.model_validate(api.post(f"statuses/{post.pk}/{undo}").json())
    assert getattr(undone, flag) is False
    assert _state(post) == ([], [], [], None, [])


def test_a_reblog_answers_the_reposters_status_wrapping_the_post(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    post = post_by(ana, "dawn")
    done = Status.model_validate(client_for(bob).post(f"statuses/{post.pk}/reblog").json())
    repost = Repost.objects.get(post=post, user=bob)
    assert (done.id, done.account.id) == (str(repost.pk), str(bob.pk))
    assert done.reblog is not None
    assert (done.reblog.id, done.reblog.account.id) == (str(post.pk), str(ana.pk))
    assert done.reblog.reblogged is True
    assert done.reblog.reblogs_count == 1


def test_favouriting_counts_at_once_for_the_author_too(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    post = post_by(ana, "dawn")
    client_for(bob).post(f"statuses/{post.pk}/favourite")
    seen = Status.model_validate(client_for(ana).get(f"statuses/{post.pk}").json())
    assert (seen.favourites_count, seen.favourited) == (1, False)


def test_an_author_pins_and_unpins_only_their_own_post(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    post = post_by(ana, "dawn")
    before = _state(post)
    refused = client_for(bob).post(f"statuses/{post.pk}/pin")
    assert refused.status_code in (403, 404, 422)
    assert set(refused.json()) <= {"error", "error_description"}
    assert _state(post) == before
    pinned = Status.model_validate(client_for(ana).post(f"statuses/{post.pk}/pin").json())
    assert pinned.pinned is True
    assert Post.objects.get(pk=post.pk).pinned_at is not None
    unpinned = Status.model_validate(client_for(ana).post(f"statuses/{post.pk}/unpin").json())
    assert unpinned.pinned is False


def test_a_reply_can_be_favourited_but_not_reblogged(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
) -> None:
    ana, bob = make_user("ana"), make_user("bob")
    post = post_by(ana, "dawn")
    comment: Comment = act(lambda: services.comment_create(author=ana, post_id=post.pk, text="hi"))
    api = client_for(bob)
    liked = Status.model_validate(api.post(f"statuses/{comment.pk}/favourite").json())
    assert (liked.id, liked.favourited, liked.in_reply_to_id) == (
        str(comment.pk),
        True,
        str(post.pk),
    )
    before = _state(post)
    refused = api.post(f"statuses/{comment.pk}/reblog")
    assert refused.status_code == 422
    assert refused.json()["error"] == "A reply cannot be given this action (reblog)"
    assert _state(post) == before


@pytest.mark.parametrize("who", ["stranger", "blocked"])
@pytest.mark.parametrize("action", ["favourite", "reblog", "bookmark"])
def test_a_status_the_account_may_not_see_is_missing_and_nothing_changes(
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    client_for: Callable[[User], ApiClient],
    act: Callable[..., Any],
    who: str,
    action: str,
) -> None:
    author = make_user("author", is_private=(who == "stranger"))
    other = make_user(who)
    post = post_by(author, "only for some")
    if who == "blocked":
        act(lambda: graph.block_create(blocker=author, blocked=other))
    before = _state(post)
    answer = client_for(other).post(f"statuses/{post.pk}/{action}")
    assert (answer.status_code, answer.json()) == (404, {"error": "Record not found"})
    assert _state(post) == before
