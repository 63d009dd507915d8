"""Reading captions and comments: clean text, hashtags and mentions.

Hashtags are Unicode words: letters, digits, `_` and the combining marks that belong to
letters (so `#café` written with a combining accent, `#नमस्ते` or `#می‌خواهم` with its zero-width
non-joiner stay whole). A tag needs at least one letter, starts after a space or punctuation
(not after a word, `#`, `&` or `/`), and stops at anything else: an emoji, a variation
selector, a bidi control. Nothing inside a web address counts (`example.com/#frag`). Tags
compare without case or compatibility differences (NFKC case folding).

``text_html`` writes a caption or a bio as other servers and Mastodon's clients read it:
HTML paragraphs, with its known hashtags and its visible mentions linked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from urllib.parse import quote

from django.utils.html import escape

from glimpse.accounts.presenters import AccountView
from glimpse.core.site import absolute_url

# Web addresses: a scheme or www., or a domain followed by a path.
_URL = re.compile(
    r"(?:\b[a-z][a-z0-9+.\-]*://|\bwww\.)\S+|\b[\w\-]+(?:\.[\w\-]+)+/\S*", re.IGNORECASE
)
# A name followed by "@host" is the handle of another server's account, not a mention here.
_MENTION = re.compile(r"(?<![\w@./&+\-])@([A-Za-z0-9._]{1,30})(?![A-Za-z0-9._]*[A-Za-z0-9_@])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner, inside words
_NOT_BEFORE_TAG = frozenset("#&/@")
_PARAGRAPH = re.compile(r"\n\s*\n")


def clean_text(text: str) -> str:
    """Return text in NFC with unified line ends and no control characters, trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def hashtag_key(raw: str) -> str:
    """Return the canonical form of a hashtag: NFKC case-folded, without a leading `#`."""
    raw = raw.strip().removeprefix("#")
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", raw).casefold())


def hashtag_spans(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, key) of each hashtag in ``text``, `#` included, in order."""
    text = _blank_urls(unicodedata.normalize("NFC", text))
    spans = []
    for start in range(len(text)):
        if text[start] != "#" or (start and _joins_word(text[start - 1])):
            continue
        end = start + 1
        if end < len(text) and _is_mark(text[end]):
            continue  # a mark after `#` belongs to the `#` (the keycap emoji #️⃣, for one)
        while end < len(text) and _in_tag(text[end]):
            end += 1
        body = text[start + 1 : end].rstrip("\u200c\u200d")
        if any(ch.isalpha() for ch in body):
            spans.append((start, start + 1 + len(body), hashtag_key(body)))
    return spans


def mention_spans(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, username) of each `@mention` in ``text``, `@` included, in order."""
    spans = []
    for match in _MENTION.finditer(_blank_urls(text)):
        name = match.group(1).rstrip(".")
        if name:
            spans.append((match.start(), match.start() + 1 + len(name), name.lower()))
    return spans


def extract_hashtags(text: str) -> list[str]:
    """Return the distinct hashtag keys of a text, in the order they first appear."""
    return list(dict.fromkeys(key for _, _, key in hashtag_spans(text)))


def extract_mentions(text: str) -> list[str]:
    """Return the distinct usernames mentioned with `@`, lowercased, in order of appearance."""
    return list(dict.fromkeys(name for _, _, name in mention_spans(text)))


def text_html(
    text: str, *, hashtags: Collection[str] = (), mentions: Mapping[str, AccountView] | None = None
) -> str:
    """Return text as HTML paragraphs, its known hashtags and visible mentions linked."""
    if not text:
        return ""
    named = mentions or {}
    spans = [
        (start, end, hashtag_link(text[start + 1 : end], key))
        for start, end, key in hashtag_spans(text)
        if key in hashtags
    ]
    spans += [
        (start, end, mention_link(named[name]))
        for start, end, name in mention_spans(text)
        if name in named
    ]
    parts: list[str] = []
    at = 0
    for start, end, link in sorted(spans):
        if start < at:
            continue
        parts.append(_plain(text[at:start]))
        parts.append(link)
        at = end
    parts.append(_plain(text[at:]))
    return "<p>" + "".join(parts) + "</p>"


def account_url(username: str) -> str:
    """Return the absolute address of an account's profile page."""
    return absolute_url(f"/{username}/")


def tag_url(name: str) -> str:
    """Return the absolute address of a hashtag's page."""
    return absolute_url(f"/explore/tags/{quote(name)}/")


def hashtag_link(shown: str, key: str) -> str:
    """Return the link of a hashtag as Mastodon writes it."""
    url = escape(tag_url(key))
    return f'<a href="{url}" class="mention hashtag" rel="tag">#<span>{escape(shown)}</span></a>'


def mention_link(account: AccountView) -> str:
    """Return the link of a mention as Mastodon writes it."""
    url = escape(account_url(account.username))
    name = escape(account.username)
    link = f'<a href="{url}" class="u-url mention">@<span>{name}</span></a>'
    return f'<span class="h-card">{link}</span>'


def _plain(text: str) -> str:
    # Blank lines part paragraphs; a single line break stays one.
    escaped = str(escape(text))
    return _PARAGRAPH.sub("</p><p>", escaped).replace("\n", "<br>")


def _blank_urls(text: str) -> str:
    """Replace web addresses by spaces of the same length, so positions stay where they are."""
    return _URL.sub(lambda match: " " * len(match.group()), text)


def _is_mark(ch: str) -> bool:
    """Tell whether ``ch`` is a combining mark that can be part of a word."""
    if "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef":
        return False  # variation selectors pick an emoji's look; they are not letters
    return unicodedata.category(ch) in ("Mn", "Mc")


def _in_tag(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or ch in _JOINERS or _is_mark(ch)


def _joins_word(ch: str) -> bool:
    """Tell whether a `#` right after ``ch`` is part of a word, an entity or a path."""
    return _in_tag(ch) or ch in _NOT_BEFORE_TAG
