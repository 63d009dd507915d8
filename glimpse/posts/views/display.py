"""What the post pages draw of a post presenter: its slides, its grid tile, its linked text.

Pure functions over presenters: no query is made here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from glimpse.media.presenters import MediaView
from glimpse.media.selectors import Rendition
from glimpse.posts.presenters import PeopleTagView, PostItemView, PostView
from glimpse.posts.text import hashtag_spans, mention_spans

# The feed's limits on a post's shape: taller than 4:5 or wider than 1.91:1 is letterboxed.
RATIO_MIN, RATIO_MAX = 0.8, 1.91
# A Reel keeps its own shape, up to 9:16.
REEL_RATIO_MIN = 9 / 16
PHOTO_SIZES = ("1080", "640", "320")


@dataclass(frozen=True)
class Slide:
    """One item of a post's carousel as the page draws it."""

    kind: str
    alt: str
    width: int
    height: int
    src: str  # the JPEG every browser shows
    jpeg_srcset: str
    webp_srcset: str
    video_src: str = ""  # the MP4 of a video, its poster in ``src``
    tags: tuple[PeopleTagView, ...] = ()
    is_video: bool = False


@dataclass(frozen=True)
class Tile:
    """A post's square in a grid: its first item, and what kind of post it is."""

    id: int
    src: str
    srcset: str
    alt: str
    is_carousel: bool
    is_video: bool
    is_pinned: bool
    like_count: int | None
    comment_count: int
    comments_enabled: bool
    view_count: int | None = None  # a Reel's plays


_Found = dict[tuple[str, str], Rendition]


def _by_name(media: MediaView) -> _Found:
    return {(r["name"], r["format"]): r for r in media.renditions}


def _srcset(found: _Found, prefix: str, fmt: str) -> str:
    """Return a srcset of the distinct widths of one format (small photos repeat a width)."""
    seen: dict[int, str] = {}
    for name in PHOTO_SIZES:
        record = found.get((prefix + name, fmt))
        if record is not None:
            seen.setdefault(int(record["width"]), str(record["url"]))
    return ", ".join(f"{url} {width}w" for width, url in sorted(seen.items()))


def _largest(found: _Found, prefix: str) -> Rendition | None:
    for name in PHOTO_SIZES:
        record = found.get((prefix + name, "jpeg")) or found.get((prefix + name, "webp"))
        if record is not None:
            return record
    return None


def slide_of(item: PostItemView) -> Slide:
    """Return how one item of a post is drawn: a picture in two formats, or a video."""
    media = item.media
    found = _by_name(media)
    prefix = "poster-" if media.is_video else ""
    largest = _largest(found, prefix)
    video_src = ""
    if media.is_video:
        videos = sorted(
            (r for r in found.values() if r["format"] == "mp4"), key=lambda r: r["height"]
        )
        # The 720p transcode when there is one: sharp enough, and lighter than 1080p.
        fitting = [r for r in videos if r["height"] <= 720] or videos
        video_src = str(fitting[-1]["url"]) if fitting else ""
    return Slide(
        kind=media.kind,
        alt=media.alt_text,
        width=int(largest["width"]) if largest else media.width or 1,
        height=int(largest["height"]) if largest else media.height or 1,
        src=str(largest["url"]) if largest else "",
        jpeg_srcset=_srcset(found, prefix, "jpeg"),
        webp_srcset=_srcset(found, prefix, "webp"),
        video_src=video_src,
        tags=item.people_tags,
        is_video=media.is_video,
    )


def slides_of(post: PostView) -> list[Slide]:
    """Return the slides of a post, in order."""
    return [slide_of(item) for item in post.items]


@dataclass(frozen=True)
class Frame:
    """A post's carousel as a page draws it: its slides, and its shape (width by height)."""

    slides: list[Slide]
    width: int
    height: int
    cover: bool = False  # fill the frame, cropping what overflows (a Reel in a feed)


def frame_of(post: PostView, *, in_feed: bool = False) -> Frame:
    """Return a post's slides and its carousel's shape (the first item's, within limits).

    In a feed a Reel is framed 4:5 and fills it, as Instagram's home feed shows one; its
    own page and the Reels feed show it whole, at 9:16.
    """
    slides = slides_of(post)
    if in_feed and post.is_reel and slides:
        return Frame(slides=slides, width=4, height=5, cover=True)
    width, height = frame_ratio(slides, reel=post.is_reel)
    return Frame(slides=slides, width=width, height=height)


def frame_ratio(slides: list[Slide], *, reel: bool = False) -> tuple[int, int]:
    """Return the carousel's shape: the first item's, within the feed's limits (a Reel's
    down to 9:16)."""
    if not slides:
        return 1, 1
    first = slides[0]
    ratio = first.width / max(first.height, 1)
    if reel and ratio < REEL_RATIO_MIN:
        return 9, 16
    if ratio < (REEL_RATIO_MIN if reel else RATIO_MIN):
        return 4, 5
    if ratio > RATIO_MAX:
        return 191, 100
    return first.width, first.height


def tile_of(post: PostView) -> Tile:
    """Return a post's grid tile: its first item's 320 px picture (or 640 on HiDPI)."""
    first = post.items[0] if post.items else None
    src = srcset = alt = ""
    is_video = False
    if first is not None:
        found = _by_name(first.media)
        is_video = first.media.is_video
        prefix = "poster-" if is_video else ""
        small = found.get((prefix + "320", "jpeg")) or found.get((prefix + "thumb", "jpeg"))
        src = str(small["url"]) if small else ""
        srcset = _srcset(found, prefix, "jpeg")
        alt = first.media.alt_text
    if not alt:
        alt = _caption_summary(post)
    return Tile(
        id=post.id,
        src=src,
        srcset=srcset,
        alt=alt,
        is_carousel=len(post.items) > 1,
        is_video=is_video and len(post.items) == 1,
        is_pinned=post.is_pinned,
        like_count=post.like_count,
        comment_count=post.comment_count,
        comments_enabled=post.comments_enabled,
        view_count=post.view_count,
    )


def _caption_summary(post: PostView) -> str:
    caption = " ".join(post.caption.split())
    name = post.author.username
    if not caption:
        return f"Post by {name}"
    short = caption if len(caption) <= 100 else caption[:99].rstrip() + "…"
    return f"Post by {name}: {short}"


# --- Linked text ------------------------------------------------------------------------


_Span = tuple[int, int, str]  # start, end, the URL it links to


def _hashtag_spans(text: str, known: set[str]) -> list[_Span]:
    return [
        (s, e, reverse("posts:tag", args=[key]))
        for s, e, key in hashtag_spans(text)
        if key in known
    ]


def _mention_spans(text: str, known: set[str]) -> list[_Span]:
    return [
        (s, e, reverse("profile", args=[name]))
        for s, e, name in mention_spans(text)
        if name in known
    ]


def linked_text(text: str, *, hashtags: set[str], mentions: set[str]) -> SafeString:
    """Return escaped text with its known hashtags and mentioned accounts linked."""
    spans = sorted(_hashtag_spans(text, hashtags) + _mention_spans(text, mentions))
    parts: list[str] = []
    at = 0
    for start, end, url in spans:
        if start < at:
            continue
        kind = "hashtag" if text[start] == "#" else "mention"
        parts.append(escape(text[at:start]))
        parts.append(f'<a class="{kind}" href="{escape(url)}">{escape(text[start:end])}</a>')
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


def caption_html(post: PostView) -> SafeString:
    """Return a post's caption with its hashtags and visible mentions linked."""
    return linked_text(
        post.caption,
        hashtags=set(post.hashtags),
        mentions={account.username for account in post.mentions},
    )


class Said(Protocol):
    """Text with the usernames it may link: a comment, or a comment's preview."""

    @property
    def text(self) -> str: ...

    @property
    def mentions(self) -> tuple[str, ...]: ...


def comment_html(comment: Said) -> SafeString:
    """Return a comment's text (or a preview's) with its visible mentions linked."""
    return linked_text(comment.text, hashtags=set(), mentions=set(comment.mentions))


_SPACES = re.compile(r"\s+")


def short_text(text: str, length: int = 60) -> str:
    """Return text on one line, cut to ``length`` characters."""
    line = _SPACES.sub(" ", text).strip()
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"
