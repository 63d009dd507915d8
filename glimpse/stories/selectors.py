"""Every read of stories, always scoped to a viewer through ``stories.visibility``.

A story is shown to a viewer when the story rule lets the viewer see it and it is live
(``expires_at > now``) or kept in a highlight; its author always sees it. Nothing here waits
for the expiry job: the time is part of every filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from glimpse.accounts.cards import AccountCard, account_cards
from glimpse.accounts.models import User
from glimpse.core.errors import NotFound, PermissionDenied
from glimpse.core.pagination import Page, paginate
from glimpse.core.prepared import PreparedQuery
from glimpse.graph.models import CloseFriend, Follow
from glimpse.graph.selectors import account_get
from glimpse.graph.visibility import accounts_visible_to, content_visible
from glimpse.stories.models import (
    Highlight,
    HighlightItem,
    Story,
    StoryReaction,
    StoryReply,
    StorySticker,
    StoryView,
)
from glimpse.stories.visibility import stories_visible_to

MISSING_STORY = "No story with this id."
MISSING_ACCOUNT = "No account with this username."
MISSING_HIGHLIGHT = "No highlight with this id."


@dataclass
class TrayEntry:
    """One account in the story tray."""

    account: AccountCard
    story_count: int
    has_unseen: bool
    has_close_friends: bool
    latest_id: int
    is_own: bool = False


@dataclass
class HighlightView:
    """A highlight with the stories of it the viewer may see, in order, and its cover."""

    highlight: Highlight
    stories: list[Story] = field(default_factory=list)

    @property
    def cover(self) -> Story | None:
        """Return the chosen cover when the viewer may see it, else the first story."""
        by_id = {story.pk: story for story in self.stories}
        chosen = by_id.get(self.highlight.cover_id or 0)
        return chosen or (self.stories[0] if self.stories else None)


def story_get(*, viewer: User | None, story_id: int) -> Story:
    """Return one story the viewer may open, hydrated, or raise NotFound."""
    story = stories_hydrate(
        viewer=viewer, stories=Story.objects.shown_to(viewer).filter(pk=story_id)
    )
    if not story:
        raise NotFound(MISSING_STORY)
    return story[0]


def story_own(*, owner: User, story_id: int) -> Story:
    """Return one of the owner's stories, live or expired, hydrated, or raise NotFound."""
    found = stories_hydrate(viewer=owner, stories=Story.objects.filter(pk=story_id, author=owner))
    if not found:
        raise NotFound(MISSING_STORY)
    return found[0]


def account_stories(*, viewer: User | None, username: str) -> tuple[User, list[Story]]:
    """Return an account and its live stories the viewer may see, oldest first.

    An account whose content the viewer may not see answers like a missing one.
    """
    account = account_get(viewer=viewer, username=username)
    if not content_visible(viewer, account):
        raise NotFound(MISSING_ACCOUNT)
    live = Story.objects.live_to(viewer).filter(author=account).order_by("pk")
    return account, stories_hydrate(viewer=viewer, stories=live)


def first_unseen(stories: Sequence[Story]) -> int:
    """Return the position of the first story the viewer has not seen (0 when all are)."""
    for index, story in enumerate(stories):
        if not story.viewer_seen:
            return index
    return 0


def stories_hydrate(*, viewer: User | None, stories: QuerySet[Story]) -> list[Story]:
    """Load stories with author, media, stickers and the viewer's state (seen, reaction):
    three queries whatever their number."""
    stickers = StorySticker.objects.select_related("account", "place").order_by("position")
    rows = stories.select_related("author", "media").prefetch_related(
        Prefetch("stickers", queryset=stickers)
    )
    if not isinstance(viewer, User):
        found = list(rows)
    else:
        mine = StoryView.objects.filter(story=OuterRef("pk"), viewer=viewer)
        reacted = StoryReaction.objects.filter(story=OuterRef("pk"), account=viewer)
        annotated = rows.annotate(
            seen_by_viewer=Exists(mine), reaction_of_viewer=Subquery(reacted.values("emoji")[:1])
        )
        found = []
        for story in annotated:
            story.viewer_seen = bool(story.seen_by_viewer)
            story.viewer_reaction = story.reaction_of_viewer
            story.viewer_is_author = story.author_id == viewer.pk
            found.append(story)
    _mentions_check(viewer, found)
    return found


def story_archive(
    *, viewer: User, max_id: int | None = None, limit: int | None = None
) -> Page[Story]:
    """Return all the viewer's own stories, live and expired, newest first, hydrated."""
    page = paginate(Story.objects.filter(author=viewer).only("pk"), max_id=max_id, limit=limit)
    ids = [story.pk for story in page.items]
    hydrated = stories_hydrate(viewer=viewer, stories=Story.objects.filter(pk__in=ids))
    by_id = {story.pk: story for story in hydrated}
    return Page(items=[by_id[pk] for pk in ids if pk in by_id], next_max_id=page.next_max_id)


def highlight_own(*, owner: User, highlight_id: int) -> HighlightView:
    """Return one of the owner's highlights with all its stories, for editing."""
    highlight = Highlight.objects.filter(pk=highlight_id, owner=owner).first()
    if highlight is None:
        raise NotFound(MISSING_HIGHLIGHT)
    return _highlights_hydrate(owner, [highlight])[0]


def story_tray(*, viewer: User) -> list[TrayEntry]:
    """Return the tray: the viewer's own stories first, then followed accounts with unseen
    stories, then the rest, newest first; muted accounts are left out.

    One statement, compiled once (``PreparedQuery``); the accounts come from their cards.
    """
    rows = _TRAY.rows(viewer=viewer.pk, now=timezone.now())
    cards = account_cards({author_id for _, _, author_id, _ in rows})
    entries: dict[int, TrayEntry] = {}
    for story_id, audience, author_id, seen in rows:
        if author_id not in cards:
            continue
        entry = entries.setdefault(
            author_id,
            TrayEntry(
                account=cards[author_id],
                story_count=0,
                has_unseen=False,
                has_close_friends=False,
                latest_id=0,
                is_own=author_id == viewer.pk,
            ),
        )
        entry.story_count += 1
        # The author's own stories are never "unseen": they saw them when they posted.
        entry.has_unseen = entry.has_unseen or (not seen and not entry.is_own)
        entry.has_close_friends = entry.has_close_friends or (
            audience == Story.Audience.CLOSE_FRIENDS
        )
        entry.latest_id = max(entry.latest_id, story_id)
    return sorted(entries.values(), key=lambda t: (not t.is_own, not t.has_unseen, -t.latest_id))


def _tray_query(*, viewer: int, now: datetime) -> QuerySet[Story, Any]:
    """The tray's statement, built for a viewer's id and the time (``PreparedQuery``)."""
    account = User(pk=viewer)
    followed = Follow.objects.filter(follower=account).values("followee")
    return (
        Story.objects.live_to(account, now=now)
        .unmuted_for(account)
        .filter(Q(author=account) | Q(author__in=followed))
        .annotate(seen=Exists(StoryView.objects.filter(story=OuterRef("pk"), viewer=account)))
        .values_list("pk", "audience", "author_id", "seen")
    )


_TRAY = PreparedQuery(_tray_query)


def story_viewers(
    *, viewer: User, story_id: int, max_id: int | None = None, limit: int | None = None
) -> tuple[Page[StoryView], int]:
    """Return who saw one of the viewer's stories, newest first, and how many; blocked
    accounts are left out. Others' stories are refused (404 when hidden, else 403)."""
    story = _authored(viewer, story_id)
    views = StoryView.objects.filter(
        accounts_visible_to(viewer, account="viewer"), story=story
    ).select_related("viewer")
    return paginate(views, max_id=max_id, limit=limit), views.count()


def story_replies(
    *, viewer: User, story_id: int, max_id: int | None = None, limit: int | None = None
) -> Page[StoryReply]:
    """Return the replies to one of the viewer's stories, newest first (author only)."""
    story = _authored(viewer, story_id)
    replies = StoryReply.objects.filter(
        accounts_visible_to(viewer, account="author"), story=story
    ).select_related("author")
    return paginate(replies, max_id=max_id, limit=limit)


def story_reactions(
    *, viewer: User, story_id: int, max_id: int | None = None, limit: int | None = None
) -> Page[StoryReaction]:
    """Return the reactions to one of the viewer's stories, newest first (author only)."""
    story = _authored(viewer, story_id)
    reactions = StoryReaction.objects.filter(
        accounts_visible_to(viewer, account="account"), story=story
    ).select_related("account")
    return paginate(reactions, max_id=max_id, limit=limit)


def account_highlights(*, viewer: User | None, username: str) -> tuple[User, list[HighlightView]]:
    """Return an account's highlights holding a story the viewer may see, oldest first."""
    account = account_get(viewer=viewer, username=username)
    if not content_visible(viewer, account):
        raise NotFound(MISSING_ACCOUNT)
    highlights = Highlight.objects.filter(owner=account).select_related("owner").order_by("pk")
    return account, [h for h in _highlights_hydrate(viewer, list(highlights)) if h.stories]


def highlight_get(*, viewer: User | None, highlight_id: int) -> HighlightView:
    """Return one highlight with the stories of it the viewer may see, or raise NotFound."""
    highlight = (
        Highlight.objects.visible_to(viewer).filter(pk=highlight_id).select_related("owner").first()
    )
    views = _highlights_hydrate(viewer, [highlight] if highlight else [])
    if not views or not views[0].stories:
        raise NotFound(MISSING_HIGHLIGHT)
    return views[0]


def close_friends_list(
    *, viewer: User, max_id: int | None = None, limit: int | None = None
) -> Page[CloseFriend]:
    """Return the accounts on the viewer's Close Friends list, newest first."""
    friends = CloseFriend.objects.filter(
        accounts_visible_to(viewer, account="friend"), owner=viewer
    ).select_related("friend")
    return paginate(friends, max_id=max_id, limit=limit)


def close_friend_ids(*, viewer: User) -> set[int]:
    """Return the ids of the accounts on the viewer's Close Friends list."""
    return set(CloseFriend.objects.filter(owner=viewer).values_list("friend_id", flat=True))


# --- Helpers --------------------------------------------------------------------------------


def _authored(viewer: User, story_id: int) -> Story:
    story = Story.objects.shown_to(viewer).filter(pk=story_id).first()
    if story is None:
        raise NotFound(MISSING_STORY)
    if story.author_id != viewer.pk:
        raise PermissionDenied("Only the author sees this.", code="not_author")
    return story


def _mentions_check(viewer: User | None, stories: list[Story]) -> None:
    """Mark the mention stickers whose account the viewer may see (one query, if any)."""
    mentions = [s for story in stories for s in story.stickers.all() if s.account_id]
    if not mentions:
        return
    ids = {sticker.account_id for sticker in mentions if sticker.account_id is not None}
    seen = set(
        User.objects.filter(accounts_visible_to(viewer), pk__in=ids).values_list("pk", flat=True)
    )
    for sticker in mentions:
        sticker.account_visible = sticker.account_id in seen


def _highlights_hydrate(viewer: User | None, highlights: list[Highlight]) -> list[HighlightView]:
    """Attach to each highlight its stories the viewer may see, in order (two queries)."""
    if not highlights:
        return []
    items = (
        HighlightItem.objects.filter(
            stories_visible_to(viewer, story="story"),
            highlight__in=highlights,
        )
        .order_by("highlight_id", "position", "pk")
        .values_list("highlight_id", "story_id")
    )
    order: dict[int, list[int]] = {h.pk: [] for h in highlights}
    for highlight_id, story_id in items:
        order[highlight_id].append(story_id)
    wanted = {pk for ids in order.values() for pk in ids}
    loaded = Story.objects.filter(pk__in=wanted)
    stories = {story.pk: story for story in stories_hydrate(viewer=viewer, stories=loaded)}
    return [
        HighlightView(highlight=h, stories=[stories[pk] for pk in order[h.pk] if pk in stories])
        for h in highlights
    ]
