"""The search page: results of every kind for `q`, or of one kind with `type`.

Typing in the page's box asks again with htmx, which gets the results alone. A handle
(``@name@host``) or an address of another server's account or post is looked up on its
server when the search is sent (not at each key typed), or when the link offering it is
followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountView, account_view_of
from glimpse.accounts.viewers import request_viewer_or_none
from glimpse.core.errors import GlimpseError
from glimpse.core.pagination import clamp_limit
from glimpse.core.web import is_htmx
from glimpse.graph import visibility
from glimpse.posts.presenters import place_view
from glimpse.search import selectors
from glimpse.search.remote import (
    ACCOUNTS,
    EVERY_KIND,
    POSTS,
    Kind,
    RemoteFound,
    accounts_found_first,
    posts_found_first,
    remote_find,
    remote_lookup_offered,
)

# The kinds, with the tab's name: Instagram says "Tags" for hashtags.
TABS = (
    ("top", "Top"),
    ("accounts", "Accounts"),
    ("hashtags", "Tags"),
    ("places", "Places"),
    ("posts", "Posts"),
)
TYPES = tuple(kind for kind, _ in TABS)
# What a handle or address may name, by tab.
FOUND_KINDS: dict[str, frozenset[Kind]] = {"top": EVERY_KIND, "accounts": ACCOUNTS, "posts": POSTS}


@dataclass(frozen=True)
class AccountRow:
    """An account found: how it shows, whether the viewer follows it, its followers."""

    account: AccountView
    following: bool
    requested: bool
    follows_you: bool
    follower_count: int


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Show the search box and, for a query, the results the viewer may see."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "top")
    kind = kind if kind in TYPES else "top"
    viewer = request_viewer_or_none(request)
    results: dict[str, Any] = {}
    error = ""
    found = RemoteFound()
    # As one types, a partial handle must not send requests to partial host names.
    resolve = not is_htmx(request) or request.GET.get("resolve") == "1"
    kinds = FOUND_KINDS.get(kind, frozenset()) if len(q) <= selectors.QUERY_MAX else frozenset()
    if q and kinds:
        found = remote_find(viewer=viewer, q=q, kinds=kinds, resolve=resolve)
    if q:
        try:
            results = _search(viewer, q, kind, found)
        except GlimpseError as exc:
            problems = [message for messages in exc.fields.values() for message in messages]
            error = problems[0] if problems else exc.message
    count = sum(len(results.get(key, [])) for key in ("accounts", "hashtags", "places", "posts"))
    # Offered while typing: the handle or address to look up on its server.
    lookup = remote_lookup_offered(viewer=viewer, q=q, kinds=kinds) if not resolve else None
    context = {
        "q": q,
        "type": kind,
        "tabs": TABS,
        "results": results,
        "count": count,
        "error": error,
        "notice": found.notice,
        "lookup": lookup,
    }
    if is_htmx(request):
        return render(request, "search/partials/results.html", context)
    return render(request, "search/page.html", context)


def _search(viewer: User | None, q: str, kind: str, remote: RemoteFound) -> dict[str, Any]:
    found: dict[str, Any]
    if kind == "accounts":
        found = {"accounts": selectors.search_accounts(viewer=viewer, q=q)}
    elif kind == "hashtags":
        found = {"hashtags": selectors.search_hashtags(viewer=viewer, q=q)}
    elif kind == "places":
        found = {"places": selectors.search_places(viewer=viewer, q=q)}
    elif kind == "posts":
        found = {"posts": selectors.search_posts(viewer=viewer, q=q)}
    else:
        found = selectors.search_top(viewer=viewer, q=q)
    accounts: list[User] = found.get("accounts", [])
    size = selectors.TOP_LIMIT if kind == "top" else clamp_limit(None)
    accounts = accounts_found_first(remote, accounts, size)
    posts = posts_found_first(remote, found.get("posts", []), size)
    rels = visibility.relations(viewer, accounts)  # one query for every row's hint
    return {
        **found,
        "accounts": [
            AccountRow(
                account=account_view_of(account),
                following=rels[account.pk]["following"],
                requested=rels[account.pk]["requested"],
                follows_you=rels[account.pk]["followed_by"],
                follower_count=account.follower_count,
            )
            for account in accounts
        ],
        "places": [place_view(place) for place in found.get("places", [])],
        "posts": posts,
    }
