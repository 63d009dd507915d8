"""A feed entry as the API and the home page show it: a post presenter and who reposted it,
and for the home page's cards the liker to name and the latest comments; and the reels of the
Reels feed, as post presenters.

Built from the feed's items (cached cards cut to what the viewer may see, with their fresh
state) and the account cards they name, read in one batch: no query is made here.
"""

from __future__ import annotations

from dataclasses import dataclass

from glimpse.accounts.presenters import AccountJson, AccountView, account_json
from glimpse.feeds.reels import ReelItem
from glimpse.feeds.selectors import FeedItem
from glimpse.posts.presenters import (
    CommentPreview,
    LikedBy,
    PostJson,
    PostView,
    comment_preview,
    liked_by_of,
    post_json,
    post_views,
)

NOBODY_NAMED = LikedBy(account=None, others=False)


@dataclass(frozen=True)
class FeedEntryView:
    """One entry of a feed: the post, and the account that reposted it when it came so."""

    entry_id: int
    post: PostView
    reposted_by: AccountView | None
    liked_by: LikedBy = NOBODY_NAMED
    comments: tuple[CommentPreview, ...] = ()  # the latest, oldest first (home page only)


class FeedEntryJson(PostJson):
    feed_id: str
    reposted_by: AccountJson | None


def feed_views(items: list[FeedItem]) -> list[FeedEntryView]:
    """Return the presenters of a feed page's items, in order."""
    more = {item.reposted_by_id for item in items if item.reposted_by_id is not None}
    for item in items:
        if item.liker_id is not None:
            more.add(item.liker_id)
        for comment in item.comments:
            more.add(comment.author_id)
            more.update(comment.mention_ids)
    posts, accounts = post_views([(item.card, item.state) for item in items], more=more)
    views = []
    for item, post in zip(items, posts, strict=True):
        liker = accounts.get(item.liker_id) if item.liker_id is not None else None
        previews = (comment_preview(comment, accounts) for comment in item.comments)
        views.append(
            FeedEntryView(
                entry_id=item.entry_id,
                post=post,
                reposted_by=accounts.get(item.reposted_by_id) if item.reposted_by_id else None,
                liked_by=liked_by_of(liker, item.state.like_count),
                comments=tuple(preview for preview in previews if preview is not None),
            )
        )
    return views


def feed_entry_json(view: FeedEntryView) -> FeedEntryJson:
    """Return a feed entry as the API shows it: the post's JSON, its entry id, its reposter."""
    return FeedEntryJson(
        **post_json(view.post),
        feed_id=str(view.entry_id),
        reposted_by=account_json(view.reposted_by) if view.reposted_by else None,
    )


def reel_views(items: list[ReelItem]) -> list[PostView]:
    """Return the post presenters of a Reels page's items, in order."""
    return post_views([(item.card, item.state) for item in items])[0]
