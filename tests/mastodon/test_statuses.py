"""A status and its thread: a post, its comments and replies as statuses in reply, and who
liked and reposted it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.mastodon.entities import Context, Status, accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(
    make_user: Callable[..., User], post_by: Callable[..., Post], act: Callable[..., Any]
) -> dict[str, Any]:
    """A post by ana with a comment by bob (naming ana), and ana's reply to it."""
    ana, bob = make_user("ana"), make_user("bob")
    post = post_by(ana, "first light")
    comment = act(lambda: services.comment_create(author=bob, post_id=post.pk, text="wow @ana"))
    reply = act(
        lambda: services.comment_create(
            author=ana, post_id=post.pk, text="thanks", parent_id=comment.pk
        )
    )
    return {"ana": ana, "bob": bob, "post": post, "comment": comment, "reply": reply}


def test_a_post_is_a_status_with_its_counts(
    thread: dict[str, Any], client_for: Callable[[User], ApiClient], act: Callable[..., Any]
) -> None:
    post, bob = thread["post"], thread["bob"]
    act(lambda: services.like_create(user=bob, post_id=post.pk))
    act(lambda: services.save_create(user=bob, post_id=post.pk))
    status = Status.model_validate(client_for(bob).get(f"statuses/{post.pk}").json())
    assert status.id == str(post.pk)
    assert status.in_reply_to_id is None
    assert (status.favourites_count, status.replies_count, status.reblogs_count) == (1, 2, 0)
    assert (status.favourited, status.bookmarked, status.reblogged) == (True, True, False)
    assert status.url is not None
    assert status.url.endswith(f"/p/{post.pk}/")
    assert status.content == "<p>first light</p>"
    media = status.media_attachments[0]
    assert media.meta.original.width >= media.meta.small.width > 0
    assert media.meta.original.size == f"{media.meta.original.width}x{media.meta.original.height}"
    assert media.blurhash


def test_a_comment_id_is_a_status_in_reply_to_the_post(
    thread: dict[str, Any], anon: ApiClient
) -> None:
    post, comment, reply = thread["post"], thread["comment"], thread["reply"]
    status = Status.model_validate(anon.get(f"statuses/{comment.pk}").json())
    assert status.in_reply_to_id == str(post.pk)
    assert status.in_reply_to_account_id == str(thread["ana"].pk)
    assert status.account.username == "bob"
    assert [m.username for m in status.mentions] == ["ana"]
    assert status.media_attachments == []
    answer = Status.model_validate(anon.get(f"statuses/{reply.pk}").json())
    assert answer.in_reply_to_id == str(comment.pk)
    assert answer.in_reply_to_account_id == str(thread["bob"].pk)


def test_the_context_of_a_post_holds_its_comments_and_replies(
    thread: dict[str, Any], anon: ApiClient
) -> None:
    post, comment, reply = thread["post"], thread["comment"], thread["reply"]
    context = Context.model_validate(anon.get(f"statuses/{post.pk}/context").json())
    assert context.ancestors == []
    assert [s.id for s in context.descendants] == [str(comment.pk), str(reply.pk)]
    of_comment = Context.model_validate(anon.get(f"statuses/{comment.pk}/context").json())
    assert [s.id for s in of_comment.ancestors] == [str(post.pk)]
    assert [s.id for s in of_comment.descendants] == [str(reply.pk)]
    of_reply = Context.model_validate(anon.get(f"statuses/{reply.pk}/context").json())
    assert [s.id for s in of_reply.ancestors] == [str(post.pk), str(comment.pk)]
    assert of_reply.descendants == []


def test_who_liked_and_reposted_a_post(
    thread: dict[str, Any],
    make_user: Callable[..., User],
    anon: ApiClient,
    act: Callable[..., Any],
) -> None:
    post = thread["post"]
    likers = [make_user(f"liker{n}") for n in range(3)]
    for liker in likers:
        act(lambda liker=liker: services.like_create(user=liker, post_id=post.pk))
    act(lambda: services.repost_create(user=thread["bob"], post_id=post.pk))
    page = anon.get(f"statuses/{post.pk}/favourited_by?limit=2")
    assert [a.username for a in accounts(page.json())] == ["liker2", "liker1"]
    assert 'rel="next"' in page.headers["Link"]
    rest = anon.get(page.headers["Link"].split("<", 1)[1].split(">", 1)[0].split("/api/v1/")[1])
    assert [a.username for a in accounts(rest.json())] == ["liker0"]
    reposted = anon.get(f"statuses/{post.pk}/reblogged_by")
    assert [a.username for a in accounts(reposted.json())] == ["bob"]


@pytest.mark.parametrize("status_id", ["999999999999999999", "abc", "12345678901234567890123"])
def test_a_missing_status_is_mastodons_404(status_id: str, anon: ApiClient) -> None:
    for path in ("", "/context", "/favourited_by", "/reblogged_by"):
        response = anon.get(f"statuses/{status_id}{path}")
        assert response.status_code == 404, path
        assert response.json() == {"error": "Record not found"}


def test_a_video_is_a_video_attachment_with_its_poster_as_preview(
    make_user: Callable[..., User], media_for: Any, anon: ApiClient, act: Callable[..., Any]
) -> None:
    ana = make_user("ana")
    [video] = media_for(ana, video=True, width=180, height=320)
    post = act(lambda: services.post_create(author=ana, media_ids=[video.pk]))
    [media] = Status.model_validate(anon.get(f"statuses/{post.pk}").json()).media_attachments
    assert media.type == "video"
    assert media.url.split("?")[0].endswith(".mp4")
    assert not media.preview_url.split("?")[0].endswith(".mp4")
    assert (media.meta.original.width, media.meta.original.height) == (180, 320)
    assert media.meta.original.aspect == pytest.approx(180 / 320)
