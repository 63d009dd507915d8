"""How a conversation is laid out on its page: runs of bubbles by one sender, the day
headings between them, pictures at their size, and who has seen your last message.

Everything here works on the presenters (``MessageView``, ``ThreadView``): no query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.dateformat import format as date_format

from glimpse.media.presenters import MediaView
from glimpse.messages.presenters import MessageView, ThreadView

# Messages by one sender less than this far apart are drawn as one run of bubbles.
RUN_GAP = timedelta(minutes=10)
SEEN_NAMES = 3


@dataclass(frozen=True)
class Row:
    """One message on the page, with where it stands in its run and the day heading above it."""

    message: MessageView
    starts_run: bool  # its sender's name shows above it (in a group)
    ends_run: bool  # its sender's picture shows beside it
    day: str  # its day's heading ("Today", "Yesterday", "Monday", "3 Mar")
    shows_day: bool  # the heading shows: the first message of its day on the page


@dataclass(frozen=True)
class Shown:
    """A photo or video of a message as drawn: where to load it and its shape."""

    src: str | None
    poster: str | None
    is_video: bool
    width: int
    height: int
    alt: str


def rows_of(views: Sequence[MessageView], *, before: MessageView | None = None) -> list[Row]:
    """Return messages (oldest first) as rows; ``before`` is the message above the first."""
    rows = []
    for index, view in enumerate(views):
        previous = views[index - 1] if index else before
        following = views[index + 1] if index + 1 < len(views) else None
        rows.append(
            Row(
                message=view,
                starts_run=not _same_run(previous, view),
                ends_run=not _same_run(view, following),
                day=_day_heading(view.created_at),
                shows_day=previous is None
                or _local_day(previous.created_at) != _local_day(view.created_at),
            )
        )
    return rows


def lone_row(view: MessageView) -> Row:
    """Return one message as a row of its own (a live update: the page's script joins runs)."""
    day = _day_heading(view.created_at)
    return Row(message=view, starts_run=True, ends_run=True, day=day, shows_day=False)


def shown_media(view: MediaView) -> Shown:
    """Return how a message's photo or video is drawn."""
    video = None
    if view.is_video:
        video = next((r["url"] for r in view.renditions if r["format"] == "mp4"), None)
    picture = view.picture("poster-640" if view.is_video else "640")
    return Shown(
        src=video if view.is_video else picture,
        poster=picture if view.is_video else None,
        is_video=view.is_video,
        width=view.width or 1,
        height=view.height or 1,
        alt=view.alt_text,
    )


def seen_text(thread: ThreadView, marks: Mapping[int, int], last: MessageView | None) -> str:
    """Return "Seen" (or "Seen by …" in a group) for the viewer's last message, if read."""
    if last is None or not last.is_own:
        return ""
    readers = [m.account.name for m in thread.members if marks.get(m.account.id, 0) >= last.id]
    if not readers:
        return ""
    if thread.kind != "group":
        return "Seen"
    if len(readers) == len(thread.members) and len(readers) > 1:
        return "Seen by everyone"
    named = ", ".join(readers[:SEEN_NAMES])
    more = len(readers) - SEEN_NAMES
    return f"Seen by {named}" + (f" and {more} more" if more > 0 else "")


def edit_until(view: MessageView, window_seconds: int) -> datetime | None:
    """Return until when the viewer may edit a message (its own text ones), else None."""
    if not view.is_own or view.kind != "message":
        return None
    return view.created_at + timedelta(seconds=window_seconds)


def _same_run(first: MessageView | None, second: MessageView | None) -> bool:
    """Tell whether two neighbouring messages are drawn in one run of bubbles."""
    if first is None or second is None:
        return False
    return (
        first.sender.id == second.sender.id
        and abs(second.created_at - first.created_at) < RUN_GAP
        and _local_day(first.created_at) == _local_day(second.created_at)
    )


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _day_heading(moment: datetime) -> str:
    """Return the heading of a day: "Today", "Yesterday", a weekday, or a date."""
    day = _local_day(moment)
    today = timezone.localdate()
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    if today - day < timedelta(days=7):
        return date_format(day, "l")
    if day.year == today.year:
        return date_format(day, "D j M")
    return date_format(day, "j M Y")
