"""Template helpers of the post pages: tiles, linked captions, short times and counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString

from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountView, Avatar, avatar_of
from glimpse.posts.models import Post
from glimpse.posts.presenters import PostView, PostViewer, post_view_of
from glimpse.posts.views import display

register = template.Library()

CAPTION_FOLDED = 125  # characters a feed card shows of a caption before "more"
NOBODYS = PostViewer(liked=False, saved=False, reposted=False, is_author=False)


@register.simple_tag
def face(account: User | AccountView, size: int = 64) -> Avatar:
    """Return an account's avatar at a size, for partials/avatar.html."""
    return avatar_of(account, size)


@register.simple_tag
def post_limits() -> dict[str, int]:
    """Return the limits a post form shows: caption length, items, hashtags, mentions, Reels."""
    return {
        "caption": settings.GLIMPSE_CAPTION_MAX,
        "items": settings.GLIMPSE_POST_ITEMS_MAX,
        "hashtags": settings.GLIMPSE_HASHTAGS_MAX,
        "mentions": settings.GLIMPSE_MENTIONS_MAX,
        "people_tags": settings.GLIMPSE_PEOPLE_TAGS_MAX,
        "place_name": settings.GLIMPSE_PLACE_NAME_MAX,
        "place_address": settings.GLIMPSE_PLACE_ADDRESS_MAX,
        "reel_seconds": settings.GLIMPSE_REEL_MAX_SECONDS,
    }


@register.simple_tag
def tile_of(post: PostView | Post) -> display.Tile:
    """Return the grid tile of a post (a grid that still holds hydrated rows is presented)."""
    return display.tile_of(post if isinstance(post, PostView) else post_view_of(post))


@register.simple_tag
def frame_of(post: PostView, in_feed: bool = False) -> display.Frame:
    """Return a post's slides and its carousel's shape, for posts/partials/carousel.html."""
    return display.frame_of(post, in_feed=in_feed)


@register.filter
def caption_html(post: PostView) -> SafeString:
    """Return a post's caption with its hashtags and mentions linked."""
    return display.caption_html(post)


@register.filter
def comment_html(comment: display.Said) -> SafeString:
    """Return a comment's text (or a feed card's preview of it) with its mentions linked."""
    return display.comment_html(comment)


@register.filter
def ago(moment: datetime | None) -> str:
    """Return how long ago, as photo apps say it: "now", "5m", "3h", "2d", "4w", a date."""
    if moment is None:
        return ""
    elapsed = timezone.now() - moment
    if elapsed < timedelta(minutes=1):
        return "now"
    if elapsed < timedelta(hours=1):
        return f"{int(elapsed.total_seconds() // 60)}m"
    if elapsed < timedelta(days=1):
        return f"{int(elapsed.total_seconds() // 3600)}h"
    if elapsed < timedelta(days=7):
        return f"{elapsed.days}d"
    if elapsed < timedelta(weeks=52):
        return f"{elapsed.days // 7}w"
    return f"{moment:%B} {moment.day}, {moment.year}"


@register.filter
def compact(number: int | None) -> str:
    """Return a count the way a grid's overlay shows it: 987, 1.2K, 34K, 5.6M."""
    if number is None:
        return ""
    for size, suffix in ((1_000_000, "M"), (1_000, "K")):
        if number >= size:
            value = number / size
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return text.removesuffix(".0") + suffix
    return f"{number:,}"


@register.filter
def alike(post: PostView) -> PostView:
    """Return a post with what differs between its viewers blanked (their own state and the
    counts), for the fragments of a card that every viewer shares: who and where, the
    media, the caption, the comment box (``glimpse.core.fragments``)."""
    return replace(
        post,
        viewer=NOBODYS,
        like_count=None,
        comment_count=0,
        repost_count=0,
        view_count=None,
        hide_like_count=False,
    )


@register.filter
def repostable(post: PostView) -> bool:
    """Tell whether a signed-in viewer's action bar offers to repost a post (a public post of
    another account), as ``views.common.can_repost`` says."""
    return not post.viewer.is_author and not post.author.is_private


@register.filter
def long_caption(text: str) -> bool:
    """Tell whether a feed card folds a caption to its first lines behind "more"."""
    return len(text) > CAPTION_FOLDED or text.count("\n") > 1


@register.filter
def thousands(number: int | None) -> str:
    """Return a count in full with thousands separated, as a likes line says it: 1,234."""
    return "" if number is None else f"{number:,}"


@register.filter
def views(number: int | None) -> str:
    """Return a Reel's view count in full: "1 view", "1,234 views" (nothing for other posts)."""
    if number is None:
        return ""
    return f"{number:,} view{'' if number == 1 else 's'}"


@register.filter
def short(text: str, length: int = 60) -> str:
    """Return text on one line, cut to ``length`` characters."""
    return display.short_text(text, length)
