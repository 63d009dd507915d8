"""The plain text a remote Note becomes here: a caption or a comment, within Glimpse's limits.

The HTML becomes text (``html_to_text``), a content warning its first line. Mentions are
rewritten so that they name the right account: servers show a remote account as ``@bob``,
which here would be the local account ``bob``, so the accounts of other servers are written
in full (``@bob@host``, which names nobody here) and this server's accounts as ``@name``. A
Note past Glimpse's limits is not refused: its text is clipped with an ellipsis, and the
hashtags and mentions past their number lose their ``#`` or ``@``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings

from glimpse.federation.actors import local_host
from glimpse.federation.html import html_to_text
from glimpse.federation.remote.notes import Mention, ParsedNote
from glimpse.federation.signatures.common import authority
from glimpse.posts.text import clean_text, hashtag_spans, mention_spans


def caption_of(note: ParsedNote, *, local_names: dict[str, str]) -> str:
    """Return a Note's text as a caption: content warning first, within the caption limits."""
    return _within_limits(
        _text(note, local_names),
        max_length=settings.GLIMPSE_CAPTION_MAX,
        hashtags=settings.GLIMPSE_HASHTAGS_MAX,
    )


def comment_text_of(note: ParsedNote, *, local_names: dict[str, str]) -> str:
    """Return a reply's text as a comment, within the comment limits."""
    return _within_limits(
        _text(note, local_names), max_length=settings.GLIMPSE_COMMENT_MAX, hashtags=None
    )


def _text(note: ParsedNote, local_names: dict[str, str]) -> str:
    """Return the Note's text with its mentions rewritten and its warning on top."""
    body = _mentions_rewritten(clean_text(html_to_text(note.content)), note.mentions, local_names)
    summary = " ".join(html_to_text(note.summary).split())
    return f"{summary}\n\n{body}".strip() if summary else body


def _mentions_rewritten(text: str, mentions: Iterable[Mention], local_names: dict[str, str]) -> str:
    """Write this server's accounts as ``@name`` and other servers' as ``@name@host``."""
    here = local_host()
    locals_ = {name.lower() for name in local_names.values()}
    for mention in mentions:
        local = local_names.get(mention.href)
        if local is not None:
            text = _replace(text, rf"@{re.escape(local)}@{re.escape(here)}", f"@{local}")
            continue
        name, _, host = mention.name.removeprefix("@").partition("@")
        host = host or authority(mention.href)
        if not name or not host or name.lower() in locals_:
            continue  # ambiguous with an account here: left as written
        text = _replace(text, rf"@{re.escape(name)}(?![\w@.-]*[\w@])", f"@{name}@{host}")
    return text


def _replace(text: str, pattern: str, replacement: str) -> str:
    """Replace a mention where it stands alone (not inside a word, an address or a handle)."""
    return re.sub(rf"(?<![\w@./&+\-]){pattern}", lambda _: replacement, text, flags=re.IGNORECASE)


def _within_limits(text: str, *, max_length: int, hashtags: int | None) -> str:
    """Clip the text with an ellipsis and take the sigil off hashtags and mentions past
    their limits, so that the services accept it."""
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    drop: list[int] = []
    if hashtags is not None:
        longest = settings.GLIMPSE_HASHTAG_LENGTH_MAX
        seen: list[str] = []
        for start, end, key in hashtag_spans(text):
            if end - start - 1 > longest or (key not in seen and len(seen) >= hashtags):
                drop.append(start)
            elif key not in seen:
                seen.append(key)
    names: list[str] = []
    for start, _end, name in mention_spans(text):
        if name not in names and len(names) >= settings.GLIMPSE_MENTIONS_MAX:
            drop.append(start)
        elif name not in names:
            names.append(name)
    for start in sorted(drop, reverse=True):
        text = text[:start] + text[start + 1 :]
    return text
