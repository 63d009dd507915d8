"""``/api/v1/statuses/:id``: a post or a comment, its thread, who liked and reposted it,
what an account does to it (favourite, reblog, bookmark, pin, and their undoing), and its
author's edit and delete (posting itself is in ``routers.posting``).

Ids are unique across posts and comments (snowflakes), so one id names either; a post the
viewer may not see, or a comment on one, answers like a missing one. An action answers the
status as the account sees it after the action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.mastodon.auth import TokenAuth, request_account, request_viewer
from glimpse.mastodon.entities.accounts import account_entity
from glimpse.mastodon.entities.statuses import reblog_entity
from glimpse.mastodon.errors import NOT_FOUND, MastodonError, record_id
from glimpse.mastodon.pagination import PageQuery, page_response
from glimpse.mastodon.params import request_fields
from glimpse.mastodon.posting import client_status_delete, client_status_edit
from glimpse.mastodon.schemas import StatusEditIn
from glimpse.mastodon.shown import accounts_json, comments_json, statuses_json
from glimpse.posts import selectors as post_selectors
from glimpse.posts import services as post_services
from glimpse.posts.models import Comment
from glimpse.posts.presenters import PostView
from glimpse.posts.shown import post_shown

router = Router(tags=["statuses"])

READ_STATUSES = TokenAuth("read:statuses", optional=True)
READ_ACCOUNTS = TokenAuth("read:accounts", optional=True)
WRITE_STATUSES = TokenAuth("write:statuses")


@router.get("/statuses/{status_id}", auth=READ_STATUSES)
def status(request: HttpRequest, status_id: str) -> dict[str, Any]:
    """Return a post, or a comment as a status in reply to its post."""
    viewer = request_viewer(request)
    post, comment = status_find(request, status_id)
    if comment is None:
        return _one(statuses_json(viewer, [post]))
    answered = (
        [post_selectors.comment_get(viewer=viewer, comment_id=comment.parent_id)]
        if comment.parent_id is not None
        else []
    )
    return _one(comments_json(viewer, post, [comment], around=answered))


@router.put("/statuses/{status_id}", auth=WRITE_STATUSES)
def status_edit(request: HttpRequest, status_id: str) -> dict[str, Any]:
    """Edit one of the account's posts (caption, media order, alt texts, focal points)."""
    fields = StatusEditIn.model_validate(request_fields(request))
    client_status_edit(
        account=request_account(request), status_id=record_id(status_id), fields=fields
    )
    return status(request, status_id)


@router.delete("/statuses/{status_id}", auth=WRITE_STATUSES)
def status_delete(request: HttpRequest, status_id: str) -> dict[str, Any]:
    """Delete one of the account's posts or comments; answer it as it was, with its source
    ``text``, as Mastodon does (a client may offer to redraft it)."""
    post, comment = status_find(request, status_id)
    deleted = status(request, status_id)
    deleted["text"] = post.caption if comment is None else comment.text
    client_status_delete(account=request_account(request), status_id=record_id(status_id))
    return deleted


@router.get("/statuses/{status_id}/context", auth=READ_STATUSES)
def status_context(request: HttpRequest, status_id: str) -> dict[str, Any]:
    """Return what a status answers (ancestors) and what answers it (descendants)."""
    viewer = request_viewer(request)
    post, comment = status_find(request, status_id)
    thread = post_selectors.comment_thread(viewer=viewer, post_id=post.id)
    if comment is None:
        return {"ancestors": [], "descendants": comments_json(viewer, post, thread)}
    above = [c for c in thread if c.pk == comment.parent_id]
    below = [c for c in thread if c.parent_id == comment.pk]
    return {
        "ancestors": statuses_json(viewer, [post]) + comments_json(viewer, post, above),
        "descendants": comments_json(viewer, post, below, around=[comment]),
    }


@router.get("/statuses/{status_id}/favourited_by", auth=READ_ACCOUNTS)
def favourited_by(request: HttpRequest, status_id: str, page: Query[PageQuery]) -> HttpResponse:
    """Return the accounts that liked a post, the latest first."""
    likes = post_selectors.post_likes(
        viewer=request_viewer(request), post_id=record_id(status_id), **page.window()
    )
    accounts = [account_entity(like.user) for like in likes.items]
    return page_response(request, accounts, [like.pk for like in likes.items])


@router.get("/statuses/{status_id}/reblogged_by", auth=READ_ACCOUNTS)
def reblogged_by(request: HttpRequest, status_id: str, page: Query[PageQuery]) -> HttpResponse:
    """Return the accounts that reposted a post, the latest first."""
    reposts = post_selectors.post_reposters(
        viewer=request_viewer(request), post_id=record_id(status_id), **page.window()
    )
    accounts = [account_entity(repost.user) for repost in reposts.items]
    return page_response(request, accounts, [repost.pk for repost in reposts.items])


# Each action: its path, its scope, what it does to a post, and to a comment (None: a
# comment cannot take it, as Glimpse's comments are not posts of their own).
PostAction = Callable[[User, int], Any]
_ACTIONS: dict[str, tuple[str, PostAction, PostAction | None]] = {
    "favourite": (
        "write:favourites",
        lambda user, pk: post_services.like_create(user=user, post_id=pk),
        lambda user, pk: post_services.comment_like_create(user=user, comment_id=pk),
    ),
    "unfavourite": (
        "write:favourites",
        lambda user, pk: post_services.like_delete(user=user, post_id=pk),
        lambda user, pk: post_services.comment_like_delete(user=user, comment_id=pk),
    ),
    "reblog": (
        "write:statuses",
        lambda user, pk: post_services.repost_create(user=user, post_id=pk),
        None,
    ),
    "unreblog": (
        "write:statuses",
        lambda user, pk: post_services.repost_delete(user=user, post_id=pk),
        None,
    ),
    "bookmark": (
        "write:bookmarks",
        lambda user, pk: post_services.save_create(user=user, post_id=pk),
        None,
    ),
    "unbookmark": (
        "write:bookmarks",
        lambda user, pk: post_services.save_delete(user=user, post_id=pk),
        None,
    ),
    "pin": (
        "write:accounts",
        lambda user, pk: post_services.post_pin(actor=user, post_id=pk),
        None,
    ),
    "unpin": (
        "write:accounts",
        lambda user, pk: post_services.post_unpin(actor=user, post_id=pk),
        None,
    ),
}


def _action_view(name: str, on_post: PostAction, on_comment: PostAction | None) -> Any:
    def act(request: HttpRequest, status_id: str) -> dict[str, Any]:
        account = request_account(request)
        _, comment = status_find(request, status_id)
        if comment is None:
            on_post(account, record_id(status_id))
        elif on_comment is not None:
            on_comment(account, comment.pk)
        else:
            raise MastodonError(422, f"A reply cannot be given this action ({name})")
        shown = status(request, status_id)
        return _reblog_of(account, shown) if name == "reblog" else shown

    act.__name__ = f"status_{name}"
    act.__doc__ = f"Do '{name}' to a status; return it as the account now sees it."
    return act


def _reblog_of(account: User, post: dict[str, Any]) -> dict[str, Any]:
    """Return the account's repost as Mastodon answers a reblog: the reposter's own status
    (the repost's id, as in the home timeline) wrapping the post."""
    repost = post_selectors.own_repost(user=account, post_id=int(post["id"]))
    if repost is None:  # taken back between the action and this read
        return post
    reposter = accounts_json(account, [account.pk])[account.pk]
    return reblog_entity(repost.pk, repost.created_at, reblog=post, account=reposter)


for _name, (_scope, _on_post, _on_comment) in _ACTIONS.items():
    router.post(f"/statuses/{{status_id}}/{_name}", auth=TokenAuth(_scope))(
        _action_view(_name, _on_post, _on_comment)
    )


def status_find(request: HttpRequest, status_id: str) -> tuple[PostView, Comment | None]:
    """Return the post an id names, or the comment it names with its post (as the viewer
    sees them: a hidden one is missing)."""
    viewer = request_viewer(request)
    pk = record_id(status_id)
    try:
        return post_shown(viewer=viewer, post_id=pk), None
    except NotFound:
        pass
    comment = post_selectors.comment_get(viewer=viewer, comment_id=pk)
    return post_shown(viewer=viewer, post_id=comment.post_id), comment


def _one(statuses: list[dict[str, Any]]) -> dict[str, Any]:
    if not statuses:
        raise MastodonError(404, NOT_FOUND)
    return statuses[0]
