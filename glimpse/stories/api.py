"""Stories, highlights and Close Friends in the API (the router is mounted at the root)."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict, TypeVar

from django.db.models import Model
from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, optional_viewer, request_user
from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountJson, account_json, account_view_of
from glimpse.core.api import errors
from glimpse.core.errors import PermissionDenied
from glimpse.core.pagination import ItemsJson, PageJson, cursor_json
from glimpse.graph import selectors as graph_selectors
from glimpse.graph import services as graph_services
from glimpse.posts.schemas import Id
from glimpse.stories import selectors, services
from glimpse.stories.models import StoryReply
from glimpse.stories.presenters import (
    AccountStoriesJson,
    HighlightJson,
    StoryJson,
    TrayEntryJson,
    highlight_json,
    story_json,
    story_view,
    tray_entry_json,
    tray_entry_view,
)
from glimpse.stories.schemas import (
    AccountStoriesOut,
    CloseFriendListOut,
    HighlightIn,
    HighlightListOut,
    HighlightOut,
    HighlightPatch,
    ReactionIn,
    ReactionListOut,
    ReactionOut,
    ReplyIn,
    ReplyListOut,
    ReplyOut,
    SeenOut,
    StoryIn,
    StoryListOut,
    StoryOut,
    TrayOut,
    ViewerListOut,
)

router = Router(tags=["stories"])

READ = errors(401, 404, 422)
WRITE = errors(401, 403, 404, 409, 422)
AUTHOR_ONLY = errors(401, 403, 404, 422)

M = TypeVar("M", bound=Model)


class SeenJson(TypedDict):
    seen: bool
    new: bool


class StoryAccountJson(TypedDict):
    """Someone who viewed, reacted to or replied to a story, and when."""

    id: str
    account: AccountJson
    created_at: datetime


class StoryViewerListJson(PageJson[StoryAccountJson]):
    count: int


class StoryReactionJson(StoryAccountJson):
    emoji: str


class StoryReplyJson(StoryAccountJson):
    story_id: str
    text: str


@router.post("/stories", auth=api_auth, response={201: StoryOut, **WRITE})
def story_create(request: HttpRequest, payload: StoryIn) -> Status[StoryJson]:
    """Post a ready photo or video of yours as a story for 24 hours."""
    viewer = request_user(request)
    story = services.story_create(
        author=viewer,
        media_id=payload.media_id,
        audience=payload.audience,
        caption=payload.caption,
        stickers=[sticker.dict(exclude_none=True) for sticker in payload.stickers],
    )
    return Status(
        201, story_json(story_view(selectors.story_get(viewer=viewer, story_id=story.pk)))
    )


@router.get("/stories/tray", auth=api_auth, response={200: TrayOut, **errors(401)})
def story_tray(request: HttpRequest) -> ItemsJson[TrayEntryJson]:
    """The story tray: your own stories first, then accounts with unseen stories first."""
    tray = selectors.story_tray(viewer=request_user(request))
    return {"items": [tray_entry_json(tray_entry_view(entry)) for entry in tray]}


@router.get("/stories/mine", auth=api_auth, response={200: StoryListOut, **READ})
def story_archive(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PageJson[StoryJson]:
    """All your own stories, live and expired, newest first (your archive)."""
    page = selectors.story_archive(viewer=request_user(request), max_id=max_id, limit=limit)
    return {
        "items": [story_json(story_view(story)) for story in page.items],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.get("/accounts/{username}/stories", response={200: AccountStoriesOut, **READ})
def account_stories(request: HttpRequest, username: str) -> AccountStoriesJson:
    """An account's live stories you may see, oldest first, with the first unseen one."""
    account, stories = selectors.account_stories(viewer=optional_viewer(request), username=username)
    return {
        "account": _account(account),
        "items": [story_json(story_view(story)) for story in stories],
        "first_unseen": selectors.first_unseen(stories),
    }


@router.get("/stories/{story_id}", response={200: StoryOut, **READ})
def story_get(request: HttpRequest, story_id: Id) -> StoryJson:
    """A story you may see (a hidden or expired one answers 404 like a missing one)."""
    story = selectors.story_get(viewer=optional_viewer(request), story_id=story_id)
    return story_json(story_view(story))


@router.delete("/stories/{story_id}", auth=api_auth, response={204: None, **WRITE})
def story_delete(request: HttpRequest, story_id: Id) -> Status[None]:
    """Delete one of your stories with its media; it leaves the tray and your highlights."""
    services.story_delete(actor=request_user(request), story_id=story_id)
    return Status(204, None)


@router.post("/stories/{story_id}/seen", auth=api_auth, response={200: SeenOut, **READ})
def story_seen(request: HttpRequest, story_id: Id) -> SeenJson:
    """Mark a story as seen (counted once, never for its author)."""
    new = services.story_mark_seen(viewer=request_user(request), story_id=story_id)
    return {"seen": True, "new": new}


@router.get(
    "/stories/{story_id}/viewers", auth=api_auth, response={200: ViewerListOut, **AUTHOR_ONLY}
)
def story_viewers(
    request: HttpRequest, story_id: Id, max_id: Id | None = None, limit: int | None = None
) -> StoryViewerListJson:
    """Who saw your story, newest first, with their number (author only)."""
    page, count = selectors.story_viewers(
        viewer=request_user(request), story_id=story_id, max_id=max_id, limit=limit
    )
    items = [_row(view, view.viewer, view.seen_at) for view in page.items]
    return {"items": items, "count": count, "next_max_id": cursor_json(page.next_max_id)}


@router.post("/stories/{story_id}/reactions", auth=api_auth, response={200: ReactionOut, **WRITE})
def story_react(request: HttpRequest, payload: ReactionIn, story_id: Id) -> StoryReactionJson:
    """React to a story with one emoji; reacting again replaces it."""
    viewer = request_user(request)
    reaction = services.story_react(viewer=viewer, story_id=story_id, emoji=payload.emoji)
    return {**_row(reaction, viewer, reaction.created_at), "emoji": reaction.emoji}


@router.get(
    "/stories/{story_id}/reactions", auth=api_auth, response={200: ReactionListOut, **AUTHOR_ONLY}
)
def story_reactions(
    request: HttpRequest, story_id: Id, max_id: Id | None = None, limit: int | None = None
) -> PageJson[StoryReactionJson]:
    """The reactions to your story, newest first (author only)."""
    page = selectors.story_reactions(
        viewer=request_user(request), story_id=story_id, max_id=max_id, limit=limit
    )
    items: list[StoryReactionJson] = [
        {**_row(r, r.account, r.created_at), "emoji": r.emoji} for r in page.items
    ]
    return {"items": items, "next_max_id": cursor_json(page.next_max_id)}


@router.post("/stories/{story_id}/replies", auth=api_auth, response={201: ReplyOut, **WRITE})
def story_reply(request: HttpRequest, payload: ReplyIn, story_id: Id) -> Status[StoryReplyJson]:
    """Reply to a story privately: the author reads it in the story's replies."""
    viewer = request_user(request)
    reply = services.story_reply(viewer=viewer, story_id=story_id, text=payload.text)
    return Status(201, _reply(reply, viewer))


@router.get(
    "/stories/{story_id}/replies", auth=api_auth, response={200: ReplyListOut, **AUTHOR_ONLY}
)
def story_replies(
    request: HttpRequest, story_id: Id, max_id: Id | None = None, limit: int | None = None
) -> PageJson[StoryReplyJson]:
    """The replies to your story, newest first (author only)."""
    page = selectors.story_replies(
        viewer=request_user(request), story_id=story_id, max_id=max_id, limit=limit
    )
    return {
        "items": [_reply(r, r.author) for r in page.items],
        "next_max_id": cursor_json(page.next_max_id),
    }


# --- Highlights -----------------------------------------------------------------------------


@router.get("/accounts/{username}/highlights", response={200: HighlightListOut, **READ})
def highlights_list(request: HttpRequest, username: str) -> ItemsJson[HighlightJson]:
    """An account's highlights, oldest first, for whoever may see its posts."""
    _, views = selectors.account_highlights(viewer=optional_viewer(request), username=username)
    return {"items": [highlight_json(view) for view in views]}


@router.post(
    "/accounts/{username}/highlights", auth=api_auth, response={201: HighlightOut, **WRITE}
)
def highlight_create(
    request: HttpRequest, username: str, payload: HighlightIn
) -> Status[HighlightJson]:
    """Make a highlight of your stories (expired ones too); only on your own account."""
    viewer = request_user(request)
    account = graph_selectors.account_get(viewer=viewer, username=username)
    if account.pk != viewer.pk:
        raise PermissionDenied("You can only add highlights to your own profile.")
    highlight = services.highlight_create(
        owner=viewer,
        title=payload.title,
        story_ids=payload.story_ids,
        cover_story_id=payload.cover_story_id,
    )
    return Status(201, _highlight(viewer, highlight.pk))


@router.get("/highlights/{highlight_id}", response={200: HighlightOut, **READ})
def highlight_get(request: HttpRequest, highlight_id: Id) -> HighlightJson:
    """A highlight with its stories in order."""
    return _highlight(optional_viewer(request), highlight_id)


@router.patch("/highlights/{highlight_id}", auth=api_auth, response={200: HighlightOut, **WRITE})
def highlight_update(
    request: HttpRequest, highlight_id: Id, payload: HighlightPatch
) -> HighlightJson:
    """Rename a highlight, reorder its stories (give them all) or change its cover."""
    viewer = request_user(request)
    services.highlight_update(
        owner=viewer,
        highlight_id=highlight_id,
        title=payload.title,
        story_ids=payload.story_ids,
        cover_story_id=payload.cover_story_id,
    )
    return _highlight(viewer, highlight_id)


@router.delete("/highlights/{highlight_id}", auth=api_auth, response={204: None, **WRITE})
def highlight_delete(request: HttpRequest, highlight_id: Id) -> Status[None]:
    """Delete a highlight; its stories stay in your archive."""
    services.highlight_delete(owner=request_user(request), highlight_id=highlight_id)
    return Status(204, None)


@router.post(
    "/highlights/{highlight_id}/stories/{story_id}",
    auth=api_auth,
    response={200: HighlightOut, **WRITE},
)
def highlight_story_add(request: HttpRequest, highlight_id: Id, story_id: Id) -> HighlightJson:
    """Add one of your stories at the end of a highlight."""
    viewer = request_user(request)
    services.highlight_story_add(owner=viewer, highlight_id=highlight_id, story_id=story_id)
    return _highlight(viewer, highlight_id)


@router.delete(
    "/highlights/{highlight_id}/stories/{story_id}", auth=api_auth, response={204: None, **WRITE}
)
def highlight_story_remove(request: HttpRequest, highlight_id: Id, story_id: Id) -> Status[None]:
    """Take a story out of a highlight (the last one out deletes the highlight)."""
    services.highlight_story_remove(
        owner=request_user(request), highlight_id=highlight_id, story_id=story_id
    )
    return Status(204, None)


# --- Close Friends --------------------------------------------------------------------------


@router.get("/close-friends", auth=api_auth, response={200: CloseFriendListOut, **READ})
def close_friends(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PageJson[AccountJson]:
    """The accounts on your Close Friends list, newest first."""
    page = selectors.close_friends_list(viewer=request_user(request), max_id=max_id, limit=limit)
    return {
        "items": [_account(row.friend) for row in page.items],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.post("/close-friends/{username}", auth=api_auth, response={204: None, **WRITE})
def close_friend_add(request: HttpRequest, username: str) -> Status[None]:
    """Put an account on your Close Friends list (it is not told)."""
    viewer = request_user(request)
    account = graph_selectors.account_get(viewer=viewer, username=username)
    graph_services.close_friend_add(owner=viewer, friend=account)
    return Status(204, None)


@router.delete("/close-friends/{username}", auth=api_auth, response={204: None, **WRITE})
def close_friend_remove(request: HttpRequest, username: str) -> Status[None]:
    """Take an account off your Close Friends list."""
    viewer = request_user(request)
    account = graph_selectors.account_get(viewer=viewer, username=username)
    graph_services.close_friend_remove(owner=viewer, friend=account)
    return Status(204, None)


# --- Helpers --------------------------------------------------------------------------------


def _account(user: User) -> AccountJson:
    return account_json(account_view_of(user))


def _row(row: Model, account: User, at: datetime) -> StoryAccountJson:
    return {"id": str(row.pk), "account": _account(account), "created_at": at}


def _reply(reply: StoryReply, author: User) -> StoryReplyJson:
    return {
        **_row(reply, author, reply.created_at),
        "story_id": str(reply.story_id),
        "text": reply.text,
    }


def _highlight(viewer: User | None, highlight_id: int) -> HighlightJson:
    view = selectors.highlight_get(viewer=viewer, highlight_id=highlight_id)
    return highlight_json(view, with_stories=True)
