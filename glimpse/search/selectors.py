"""Search: accounts, hashtags, places and posts, each filtered by the visibility policy.

The backend follows ``connection.vendor``: on PostgreSQL, trigram similarity (pg_trgm) for
accounts and full-text search for posts; on any other database (the embedded SQLite), a
plain case-insensitive match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotAuthenticated
from glimpse.core.pagination import clamp_limit
from glimpse.graph.visibility import (
    accounts_discoverable_to,
    accounts_visible_to,
    with_relations,
)
from glimpse.posts.models import Hashtag, Place, Post, PostItem
from glimpse.posts.presenters import PostView
from glimpse.posts.selectors import (
    most_used,
    place_search,
    posts_visible,
    with_visible_counts,
)
from glimpse.posts.shown import posts_shown
from glimpse.posts.text import clean_text, hashtag_key

QUERY_MAX = 100
TOP_LIMIT = 5
# Full-text configuration: "simple" (no stemming), as captions come in every language.
FULL_TEXT_MATCHES = 1000  # newest matches of each index ranked for a search
TS_CONFIG = "simple"
FROM_ME = re.compile(r"(?<!\S)from:me(?!\S)", re.IGNORECASE)


def on_postgresql() -> bool:
    """Tell whether the database is PostgreSQL (full-text and trigram search)."""
    return connection.vendor == "postgresql"


def search_query_clean(q: str | None, *, required: bool = True) -> str:
    """Return the query trimmed, or raise InvalidInput when it is empty or too long."""
    text = clean_text(q or "")
    if len(text) > QUERY_MAX:
        raise InvalidInput(fields={"q": [f"At most {QUERY_MAX} characters."]})
    if required and not text:
        raise InvalidInput(fields={"q": ["Type something to search for."]})
    return text


def search_accounts(*, viewer: User | None, q: str, limit: int | None = None) -> list[User]:
    """Find accounts by username or display name, prefix matches first, then fuzzy ones;
    within each, the accounts the viewer follows first, as Instagram ranks them.

    PostgreSQL adds trigram matches (a typo still finds the account); other databases
    match a prefix of the username or the name anywhere in username or display name.
    """
    text = search_query_clean(q).removeprefix("@").strip()
    if not text:
        raise InvalidInput(fields={"q": ["Type something to search for."]})
    size = clamp_limit(limit)
    accounts = User.objects.filter(accounts_visible_to(viewer), accounts_discoverable_to(viewer))
    # Within each kind of match, the accounts the viewer follows first (an annotation:
    # ordered through F). Anonymous callers follow nobody.
    followed_first: list[Any] = []
    if viewer is not None:
        accounts = with_relations(viewer, accounts, "following")
        followed_first = [F("following").desc()]
    prefix = Q(username__istartswith=text) | Q(display_name__istartswith=text)
    contains = Q(username__icontains=text) | Q(display_name__icontains=text)
    # Prefix matches first, then the name anywhere, then (PostgreSQL) close names.
    first = Case(
        When(prefix, then=Value(0)),
        When(contains, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    found: QuerySet[User]
    if on_postgresql():
        from django.contrib.postgres.search import TrigramSimilarity

        similarity = Greatest(
            TrigramSimilarity("username", text), TrigramSimilarity("display_name", text)
        )
        found = (
            accounts.annotate(similarity=similarity, first=first)
            # `trigram_similar` is pg_trgm's `%` (similarity at least 0.3 by default):
            # every branch here can use the migration's GIN indexes.
            .filter(
                contains | Q(username__trigram_similar=text) | Q(display_name__trigram_similar=text)
            )
            .order_by("first", *followed_first, "-similarity", "username")
        )
    else:
        found = (
            accounts.filter(contains)
            .annotate(first=first)
            .order_by("first", *followed_first, "username")
        )
    return list(found[:size])


def search_hashtags(*, viewer: User | None, q: str, limit: int | None = None) -> list[Hashtag]:
    """Find hashtags starting with the query (with or without `#`) that a post the viewer may
    see uses, most used first, each with its ``visible_count``.

    The most used overall are taken (the stored count keeps this cheap), then ordered by
    what the viewer may see; a tag of private posts alone is never found.
    """
    key = hashtag_key(search_query_clean(q))
    if not key:
        raise InvalidInput(fields={"q": ["Type something to search for."]})
    size = clamp_limit(limit)
    named = most_used(Hashtag.objects.filter(name__startswith=key))
    tags = Hashtag.objects.filter(pk__in=named).visible_to(viewer)
    shown = tags.order_by("-post_count", "name")[:size]
    return with_visible_counts(viewer=viewer, items=list(shown))


def search_places(
    *,
    viewer: User | None,
    q: str | None,
    lat: float | None = None,
    lng: float | None = None,
    limit: int | None = None,
) -> list[Place]:
    """Find places by name (most used first) and/or near a position (nearest first)."""
    text = search_query_clean(q, required=lat is None and lng is None)
    return place_search(viewer=viewer, q=text or None, lat=lat, lng=lng, limit=limit)


@dataclass
class PostQuery:
    """A post search: the words to find, and whether only the viewer's posts count."""

    words: list[str] = field(default_factory=list)
    from_me: bool = False


def post_query_parse(q: str) -> PostQuery:
    """Split a post query into its words and the `from:me` operator."""
    text = search_query_clean(q)
    from_me = bool(FROM_ME.search(text))
    rest = FROM_ME.sub(" ", text)
    return PostQuery(words=rest.split(), from_me=from_me)


def search_posts(*, viewer: User | None, q: str, limit: int | None = None) -> list[PostView]:
    """Find live posts the viewer may see by words of their caption or of an alt text, drawn
    from their cached cards (``posts_shown``).

    `from:me` keeps only the viewer's own posts (anonymous callers get NotAuthenticated).
    PostgreSQL ranks full-text matches; other databases want every word somewhere in the
    caption or an alt text, newest first.
    """
    query = post_query_parse(q)
    size = clamp_limit(limit)
    posts = posts_visible(viewer=viewer).filter(
        accounts_discoverable_to(viewer, account="author"), is_archived=False
    )
    if query.from_me:
        if viewer is None:
            raise NotAuthenticated("Log in to search your own posts with from:me.")
        posts = posts.filter(author=viewer)
    if not query.words:
        if not query.from_me:
            raise InvalidInput(fields={"q": ["Type something to search for."]})
        ranked = posts.order_by("-pk")
    elif on_postgresql():
        ranked = _posts_full_text(posts, " ".join(query.words))
    else:
        ranked = _posts_contains(posts, query.words)
    found = list(ranked.values_list("pk", flat=True)[:size])
    return posts_shown(viewer=viewer, post_ids=found, listed=True)


def _posts_full_text(posts: QuerySet[Post], text: str) -> QuerySet[Post]:
    """Rank the posts whose caption or an alt text matches, best first.

    The matches are found through each GIN index apart (the newest ``FULL_TEXT_MATCHES`` of
    each), then the viewer's policy and the rank apply to those alone: one query matching
    either in an OR could use neither index and read every post (6 s on a million).
    """
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    terms = SearchQuery(text, config=TS_CONFIG, search_type="plain")
    caption = SearchVector("caption", config=TS_CONFIG)
    by_caption = (
        Post.objects.annotate(document=caption)
        .filter(document=terms)
        .order_by("-pk")
        .values_list("pk", flat=True)[:FULL_TEXT_MATCHES]
    )
    by_alt_text = (
        PostItem.objects.annotate(document=SearchVector("alt_text", config=TS_CONFIG))
        .filter(document=terms)
        .order_by("-post_id")
        .values_list("post_id", flat=True)[:FULL_TEXT_MATCHES]
    )
    matched = {*by_caption, *by_alt_text}
    return (
        posts.filter(pk__in=matched)
        .annotate(rank=SearchRank(caption, terms))
        .order_by("-rank", "-pk")
    )


def _posts_contains(posts: QuerySet[Post], words: list[str]) -> QuerySet[Post]:
    for word in words:
        in_alt = PostItem.objects.filter(post=OuterRef("pk"), alt_text__icontains=word)
        posts = posts.filter(Q(caption__icontains=word) | Exists(in_alt))
    return posts.order_by("-pk")


def search_top(*, viewer: User | None, q: str, limit: int | None = None) -> dict[str, Any]:
    """Return the best few of every kind at once: accounts, hashtags, places and posts.

    `from:me` applies to posts only; the other kinds search the rest of the query.
    """
    size = min(clamp_limit(limit), TOP_LIMIT) if limit is not None else TOP_LIMIT
    query = post_query_parse(q)
    words = " ".join(query.words)
    result: dict[str, Any] = {
        "accounts": [],
        "hashtags": [],
        "places": [],
        "posts": search_posts(viewer=viewer, q=q, limit=size),
    }
    if words and not query.from_me:
        result["accounts"] = search_accounts(viewer=viewer, q=words, limit=size)
        if hashtag_key(words):
            result["hashtags"] = search_hashtags(viewer=viewer, q=words, limit=size)
        result["places"] = search_places(viewer=viewer, q=words, limit=size)
    return result
