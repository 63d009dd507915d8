"""THE visibility policy: who may see which account and which content.

This is the only module that decides visibility; each kind has one entry built from it,
and every read path asks that entry:

- accounts: ``accounts_visible_to`` here (on User itself, or on any row naming an account
  through its path), and the single-object forms ``account_visible``, ``content_visible``;
- posts, comments, places and hashtags: ``glimpse.posts.visibility`` and the QuerySet
  methods of their models (``Post.objects.visible_to(viewer)``...);
- stories and highlights: ``glimpse.stories.visibility`` and ``Story.objects.visible_to``.

The pieces those entries are built from (the content rule, the hide by reports, the
mute and block subqueries) are private: only the policy modules use them, and
tests/test_architecture_visibility.py fails when any other module does.

- An account is visible to a viewer when it is active and neither has blocked the other.
  Anonymous viewers see every active account.
- Content (posts, comments, stories, media, likes...) is visible when its author is visible
  and the author is public, or is the viewer, or is followed by the viewer (an approved
  follow: a pending request gives nothing).
- Stories follow the content rule; a close-friends story is narrowed further to the accounts
  on its author's Close Friends list, and the author.
- Content hidden by many reports (moderation) is seen by its author alone until a moderator
  looks.
- An account may block a whole server (``AccountDomainBlock``): every account whose
  ``domain`` is that host is then hidden from it, and it from them, as by a block of each.
- Accounts of a limited server (``LimitedDomain``: instance moderation's silence, the host
  and its subdomains) are visible as usual, but stay out of the public surfaces (Explore,
  hashtag and place pages, search, the public timeline) for those who do not follow them
  (``accounts_discoverable_to``).
- Mutes change nothing here: they only take the muted account out of the muter's feeds,
  story tray, Explore and suggestions (``accounts_unmuted_for``), and the muted account is
  never told.

Whatever a viewer may not see must answer exactly like a missing object (404, same body).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from glimpse.accounts.models import User
from glimpse.accounts.viewers import viewer_or_none as _viewer
from glimpse.core.prepared import PreparedQuery
from glimpse.graph.limited import limited_domains
from glimpse.graph.models import (
    AccountDomainBlock,
    Block,
    CloseFriend,
    Follow,
    FollowRequest,
    HiddenContent,
    Mute,
)

RELATION_KEYS = ("is_self", "following", "requested", "followed_by", "blocking", "muting")


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def _not_blocked_either_way(viewer: User, key: str) -> Q:
    """Return a filter dropping the accounts (at ``key``) the viewer blocked or is blocked by."""
    blocking = Block.objects.filter(blocker=viewer).values("blocked")
    blocked_by = Block.objects.filter(blocked=viewer).values("blocker")
    return ~Q(**{f"{key}__in": blocking}) & ~Q(**{f"{key}__in": blocked_by})


def _domains_not_blocked_either_way(viewer: User, account: str) -> Q:
    """Return a filter dropping the accounts (at path ``account``) of the servers the viewer
    blocked and, for a viewer of another server, the accounts that blocked its server.

    The first is one comparison of the account's indexed ``domain`` column against the
    viewer's few blocked domains (a hashed subquery, not a scan of usernames); the second
    is added only for remote viewers, so local viewers pay nothing for it.
    """
    blocked = AccountDomainBlock.objects.filter(owner=viewer).values("domain")
    kept = ~Q(**{f"{_prefix(account)}domain__in": blocked})
    if viewer.domain:
        owners = AccountDomainBlock.objects.filter(domain=viewer.domain).values("owner")
        kept &= ~Q(**{f"{account or 'pk'}__in": owners})
    return kept


def accounts_visible_to(viewer: User | None, *, account: str = "") -> Q:
    """Return a filter keeping the accounts the viewer may see: active, no block either way.

    The filter applies to User itself, or to any model through the path ``account`` of an
    account foreign key (``account="user"`` on a like, ``"author"`` on a comment).
    """
    viewer = _viewer(viewer)
    key = account or "pk"
    visible = Q(**{f"{_prefix(account)}is_active": True})
    if viewer is None:
        return visible
    return (
        visible
        & _not_blocked_either_way(viewer, key)
        & _domains_not_blocked_either_way(viewer, account)
    )


def visible_account_ids(viewer: User | None, ids: Iterable[int]) -> set[int]:
    """Return the accounts among ``ids`` the viewer may see (``accounts_visible_to``), in
    one query compiled once per number of ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    viewer = _viewer(viewer)
    if viewer is None:
        return {pk for (pk,) in _VISIBLE_ACCOUNTS.rows(ids=wanted)}
    if viewer.domain:
        # Another server's account: the prepared shape is a local viewer's (a stand-in has
        # no domain), so ask the full rule, which knows who blocked its server.
        visible = User.objects.filter(accounts_visible_to(viewer), pk__in=wanted)
        return set(visible.values_list("pk", flat=True))
    return {pk for (pk,) in _VISIBLE_ACCOUNTS.rows(viewer=viewer.pk, ids=wanted)}


def _visible_accounts_query(*, ids: list[int], viewer: int | None = None) -> QuerySet[User, Any]:
    seen_by = None if viewer is None else User(pk=viewer)
    return User.objects.filter(accounts_visible_to(seen_by), pk__in=ids).values_list("pk")


_VISIBLE_ACCOUNTS = PreparedQuery(_visible_accounts_query, pad_lists=True)


def accounts_unmuted_for(viewer: User | None, *, account: str = "") -> Q:
    """Return a filter dropping the accounts (at ``account``) the viewer muted.

    Only feeds, the story tray, Explore and suggestions apply it: a mute hides nothing
    anywhere else, and anonymous viewers mute nobody.
    """
    viewer = _viewer(viewer)
    if viewer is None:
        return Q()
    return ~Q(**{f"{account or 'pk'}__in": _muted_accounts(viewer)})


def accounts_discoverable_to(viewer: User | None, *, account: str = "") -> Q:
    """Return a filter dropping the accounts (at ``account``) of limited servers that the
    viewer does not follow (nor is): public surfaces apply it beside the content rule.

    While no server is limited (the usual case) it is empty: no filter, no query.
    """
    domains = limited_domains()
    if not domains:
        return Q()
    field = f"{_prefix(account)}domain"
    limited = Q(**{f"{field}__in": sorted(domains)})
    for domain in sorted(domains):
        limited |= Q(**{f"{field}__endswith": f".{domain}"})
    viewer = _viewer(viewer)
    if viewer is None:
        return ~limited
    key = account or "pk"
    followed = Follow.objects.filter(follower=viewer).values("followee")
    return ~limited | Q(**{key: viewer.pk}) | Q(**{f"{key}__in": followed})


def accounts_blockable_by(viewer: User) -> Q:
    """Return a filter keeping the accounts the viewer may block or unblock: those it may
    see, and those it blocks already (an account that blocked the viewer stays hidden)."""
    blocking = Block.objects.filter(blocker=viewer).values("blocked")
    return Q(is_active=True) & (accounts_visible_to(viewer) | Q(pk__in=blocking))


def _content_visible_to(viewer: User | None, *, author: str = "author") -> Q:
    """Return a filter keeping the content the viewer may see, on a model whose author is at
    the path ``author``: author visible, and public, or the viewer, or followed by the viewer.

    ``author=""`` filters User itself: the accounts whose content the viewer may see.
    """
    viewer = _viewer(viewer)
    key = author or "pk"
    public = Q(**{f"{_prefix(author)}is_private": False})
    visible = accounts_visible_to(viewer, account=author)
    if viewer is None:
        return visible & public
    followed = Follow.objects.filter(follower=viewer).values("followee")
    return visible & (public | Q(**{key: viewer.pk}) | Q(**{f"{key}__in": followed}))


def _stories_visible_to(
    viewer: User | None, *, author: str = "author", audience: str = "audience"
) -> Q:
    """Return a filter keeping the stories the viewer may see: the content rule, and a story
    for close friends only for its author and the accounts on the author's list.

    ``author`` and ``audience`` are the paths of the story's author and audience fields
    (``"story__author"`` and ``"story__audience"`` from a highlight's item).
    """
    viewer = _viewer(viewer)
    everyone = Q(**{audience: "everyone"})
    content = _content_visible_to(viewer, author=author)
    story = author.removesuffix("author").removesuffix("__") or "pk"
    content &= _unflagged(viewer, kind="story", path=story, author=author)
    if viewer is None:
        return content & everyone
    lists_on = CloseFriend.objects.filter(friend=viewer).values("owner")
    return content & (everyone | Q(**{author: viewer.pk}) | Q(**{f"{author}__in": lists_on}))


def _unflagged(viewer: User | None, *, kind: str, path: str = "pk", author: str = "author") -> Q:
    """Return a filter dropping the content (of ``kind``, its id at ``path``) hidden by many
    reports until a moderator looks; its author (at ``author``) still sees it."""
    viewer = _viewer(viewer)
    hidden = HiddenContent.objects.filter(kind=kind).values("target_id")
    kept = ~Q(**{f"{path}__in": hidden})
    return kept if viewer is None else kept | Q(**{author: viewer.pk})


def account_visible(viewer: User | None, account: User) -> bool:
    """Tell whether the viewer may see this account (the rule of ``accounts_visible_to``)."""
    viewer = _viewer(viewer)
    if not account.is_active:
        return False
    if viewer is None or viewer.pk == account.pk:
        return True
    if Block.objects.filter(
        Q(blocker=viewer, blocked=account) | Q(blocker=account, blocked=viewer)
    ).exists():
        return False
    if not (account.domain or viewer.domain):
        return True  # two local accounts: no server to block
    return not AccountDomainBlock.objects.filter(
        Q(owner=viewer, domain=account.domain) | Q(owner=account, domain=viewer.domain)
    ).exists()


def content_visible(viewer: User | None, author: User) -> bool:
    """Tell whether the viewer may see content by this author (the content rule)."""
    viewer = _viewer(viewer)
    if not account_visible(viewer, author):
        return False
    if not author.is_private or (viewer is not None and viewer.pk == author.pk):
        return True
    return viewer is not None and Follow.objects.filter(follower=viewer, followee=author).exists()


def relation(viewer: User | None, account: User) -> dict[str, bool]:
    """Return the viewer's relation to an account (all false for anonymous viewers)."""
    return relation_to(viewer, account.pk)


def relation_to(viewer: User | None, account_id: int) -> dict[str, bool]:
    """Return the viewer's relation to the account with this id."""
    return relations_to(viewer, {account_id})[account_id]


def relations(viewer: User | None, accounts: Iterable[User]) -> dict[int, dict[str, bool]]:
    """Return the viewer's relation to each account by id, in one query whatever their number."""
    return relations_to(viewer, {account.pk for account in accounts})


def relations_to(viewer: User | None, ids: set[int]) -> dict[int, dict[str, bool]]:
    """Return the viewer's relation to each account of ``ids``, in one query."""
    viewer = _viewer(viewer)
    if viewer is None or not ids:
        return {pk: dict.fromkeys(RELATION_KEYS, False) for pk in ids}
    found = {
        pk: {
            "is_self": pk == viewer.pk,
            **dict(zip(RELATION_KEYS[1:], map(bool, flags), strict=True)),
        }
        for pk, *flags in _RELATIONS.rows(viewer=viewer.pk, ids=sorted(ids))
    }
    return {pk: found.get(pk, dict.fromkeys(RELATION_KEYS, False)) for pk in ids}


def _relations_query(*, viewer: int, ids: list[int]) -> QuerySet[User, Any]:
    """The relations query for a viewer's id and the accounts' (``PreparedQuery``)."""
    flags = RELATION_KEYS[1:]
    accounts = User.objects.filter(pk__in=ids)
    return with_relations(User(pk=viewer), accounts, *flags).values_list("pk", *flags)


_RELATIONS = PreparedQuery(_relations_query, pad_lists=True)


def with_relations(viewer: User, accounts: QuerySet[User], *keys: str) -> QuerySet[User]:
    """Return the accounts annotated with the viewer's relations named by ``keys`` (booleans
    among ``RELATION_KEYS`` but ``is_self``), read in the same query."""
    target = OuterRef("pk")
    flags = {
        "following": Exists(Follow.objects.filter(follower=viewer, followee=target)),
        "requested": Exists(FollowRequest.objects.filter(requester=viewer, target=target)),
        "followed_by": Exists(Follow.objects.filter(follower=target, followee=viewer)),
        "blocking": Exists(Block.objects.filter(blocker=viewer, blocked=target)),
        "muting": Exists(Mute.objects.filter(muter=viewer, muted=target)),
    }
    return accounts.annotate(**{key: flags[key] for key in keys})


def blocked_pairs(first_ids: set[int], second_ids: set[int]) -> set[tuple[int, int]]:
    """Return the pairs (one of ``first_ids``, one of ``second_ids``) a block stands between,
    either way, each in both orders (one query)."""
    if not first_ids or not second_ids:
        return set()
    rows = Block.objects.filter(
        Q(blocker_id__in=second_ids, blocked_id__in=first_ids)
        | Q(blocker_id__in=first_ids, blocked_id__in=second_ids)
    ).values_list("blocker_id", "blocked_id")
    return {pair for a, b in rows for pair in ((a, b), (b, a))}


def _muted_accounts(viewer: User) -> QuerySet[Mute, int]:
    """Return (as a subquery) the ids of the accounts the viewer muted."""
    return Mute.objects.filter(muter=viewer).values_list("muted_id", flat=True)
