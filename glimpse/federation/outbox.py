"""An account's outbox: the Create activities of its posts the public may see, newest first.

The collection says how many posts the account has and links its first page; pages hold 20
activities and link the next (older, ``max_id``) and previous (newer, ``min_id``) pages by
post id. Posts come through the posts' one visibility policy with no viewer: archived posts,
posts hidden by moderation and the posts of a private account never appear (a private
account's outbox counts its posts but lists none, until signed fetches are verified).
"""

from __future__ import annotations

from urllib.parse import urlencode

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.federation.actors import outbox_id
from glimpse.federation.notes import JsonObject, create_object
from glimpse.federation.vocabulary import CONTEXT
from glimpse.graph.selectors import account_get
from glimpse.posts.models import Post
from glimpse.posts.selectors import account_post_ids_between
from glimpse.posts.shown import posts_shown

PAGE_SIZE = 20


def outbox_of(*, username: str) -> JsonObject:
    """Return an account's outbox collection, or raise NotFound."""
    account = _local_account(username)
    outbox = outbox_id(account.username)
    return {
        "@context": CONTEXT,
        "id": outbox,
        "type": "OrderedCollection",
        "totalItems": outbox_total(account),
        "first": _page_url(outbox),
    }


def outbox_page(*, username: str, max_id: int | None, min_id: int | None) -> JsonObject:
    """Return one page of an account's outbox, below ``max_id`` or just above ``min_id``
    (the newest page when neither is given), or raise NotFound."""
    account = _local_account(username)
    outbox = outbox_id(account.username)
    page = account_post_ids_between(
        viewer=None, account=account, max_id=max_id, min_id=min_id, limit=PAGE_SIZE
    )
    views = posts_shown(viewer=None, post_ids=page.items, listed=True)
    cursors = {"max_id": max_id, "min_id": min_id}
    document: JsonObject = {
        "@context": CONTEXT,
        "id": _page_url(outbox, **cursors),
        "type": "OrderedCollectionPage",
        "partOf": outbox,
        "orderedItems": [create_object(view) for view in views],
    }
    ids = list(page.items)
    # Read upwards (min_id), a page always has older posts below it; read downwards, the
    # selector says whether more follow.
    older = ids[-1] if ids and min_id is not None else page.next_max_id
    if older is not None:
        document["next"] = _page_url(outbox, max_id=older)
    if ids and (max_id is not None or min_id is not None):
        document["prev"] = _page_url(outbox, min_id=ids[0])
    return document


def outbox_total(account: User) -> int:
    """Return how many posts an outbox counts: a public account's posts the public may see
    in lists, or the count a private account's profile shows everyone."""
    if account.is_private:
        return account.post_count
    return Post.objects.listed_to(None).filter(author=account).count()


def _local_account(username: str) -> User:
    """Return the local account of this name as the public sees it, or raise NotFound."""
    if "@" in username:  # another server's account (name@host): its outbox is over there
        raise NotFound("No account with this username.")
    return account_get(viewer=None, username=username)


def _page_url(outbox: str, *, max_id: int | None = None, min_id: int | None = None) -> str:
    """Return the address of an outbox page, with its cursor if any."""
    query = {"page": "true"}
    if max_id is not None:
        query["max_id"] = str(max_id)
    if min_id is not None:
        query["min_id"] = str(min_id)
    return f"{outbox}?{urlencode(query)}"
