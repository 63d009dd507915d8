"""Text as Mastodon's clients read it: HTML paragraphs with hashtags and mentions linked."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from urllib.parse import quote

from django.utils.html import escape

from glimpse.accounts.presenters import AccountView
from glimpse.core.site import absolute_url
from glimpse.posts.text import hashtag_spans, mention_spans

_PARAGRAPH = re.compile(r"\n\s*\n")


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


def timestamp(moment: datetime) -> str:
    """Return a time as Mastodon writes it: UTC, to the millisecond."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _plain(text: str) -> str:
    # Blank lines part paragraphs; a single line break stays one.
    escaped = str(escape(text))
    return _PARAGRAPH.sub("</p><p>", escaped).replace("\n", "<br>")
