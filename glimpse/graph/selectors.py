"""Every read of the social graph, scoped to the viewer by the visibility policy.

Lists answer the edges (newest first, paginated by the edge's id) with the account at the
other end joined in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.accounts.validators import possible_username
from glimpse.core.errors import NotFound
from glimpse.graph.models import Block, Follow, FollowRequest, Mute
from glimpse.graph.services import MISSING_ACCOUNT, MISSING_REQUEST
from glimpse.graph.visibility import accounts_blockable_by, accounts_visible_to, content_visible


def account_get(*, viewer: User | None, username: str) -> User:
    """Return the account with this username as the viewer may see it, or raise NotFound."""
    # The policy keeps active accounts only, and hides a blocked pair from each other.
    name = possible_username(username)
    if name is None:
        raise NotFound("No account with this username.")  # e.g. a NUL byte: not a name at all
    user = User.objects.filter(accounts_visible_to(viewer), username__lower=name.lower()).first()
    if user is None:
        raise NotFound("No account with this username.")
    return user


def account_get_by_id(*, viewer: User | None, account_id: int) -> User:
    """Return the account with this id as the viewer may see it, or raise NotFound."""
    user = User.objects.filter(accounts_visible_to(viewer), pk=account_id).first()
    if user is None:
        raise NotFound(MISSING_ACCOUNT)
    return user


def accounts_by_id(*, viewer: User | None, ids: Iterable[int]) -> dict[int, User]:
    """Return the accounts among ``ids`` the viewer may see, by id, in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {
        user.pk: user for user in User.objects.filter(accounts_visible_to(viewer), pk__in=wanted)
    }


def related_account_ids(*, viewer: User, ids: Iterable[int]) -> set[int]:
    """Return the accounts among ``ids`` the viewer may ask its relation to: those it may
    see, and those it blocks (an account that blocked the viewer stays hidden)."""
    wanted = set(ids)
    if not wanted:
        return set()
    found = User.objects.filter(accounts_blockable_by(viewer), pk__in=wanted)
    return set(found.values_list("pk", flat=True))


def familiar_followers(*, viewer: User, ids: Iterable[int]) -> dict[int, list[User]]:
    """Return, for each account of ``ids``, the accounts the viewer follows that follow it
    and that it may see, latest follow first (one query)."""
    wanted = set(ids)
    if not wanted:
        return {}
    followed = Follow.objects.filter(follower=viewer).values("followee")
    follows = (
        Follow.objects.filter(
            accounts_visible_to(viewer, account="follower"),
            followee_id__in=wanted,
            follower__in=followed,
        )
        .select_related("follower")
        .order_by("-id")
    )
    found: dict[int, list[User]] = {pk: [] for pk in wanted}
    for follow in follows:
        found[follow.followee_id].append(follow.follower)
    return found


def accounts_active_counts(*, days: Iterable[int]) -> dict[str, int]:
    """Return how many accounts of this server are active (``total``) and, for each number
    of days, how many of them signed in within as many days, in one query."""
    now = timezone.now()
    wanted = {
        f"days_{n}": Count("pk", filter=Q(last_login__gte=now - timedelta(days=n))) for n in days
    }
    # This server's accounts: other servers' are counted there.
    local = User.objects.filter(is_active=True, domain="")
    return local.aggregate(total=Count("pk"), **wanted)


def known_domains() -> list[str]:
    """Return the other servers this one knows an account of, sorted."""
    domains = User.objects.exclude(domain="").values_list("domain", flat=True).distinct()
    return sorted(domains)


def account_newest(*, viewer: User | None, limit: int = 12) -> QuerySet[User]:
    """Return the most recently joined accounts the viewer may see, without the viewer."""
    # Ids sort by the millisecond only; the join time breaks ties within one.
    accounts = User.objects.filter(accounts_visible_to(viewer)).order_by("-date_joined", "-id")
    if viewer is not None:
        accounts = accounts.exclude(pk=viewer.pk)
    return accounts[:limit]


def followers_list(*, viewer: User | None, account: User) -> QuerySet[Follow]:
    """Return the follows of the account's followers the viewer may see, newest first.

    The lists of a private account are for its approved followers and itself: anyone else
    gets NotFound, like for a missing account.
    """
    _check_lists_visible(viewer, account)
    return (
        Follow.objects.filter(accounts_visible_to(viewer, account="follower"), followee=account)
        .select_related("follower")
        .order_by("-id")
    )


def following_list(*, viewer: User | None, account: User) -> QuerySet[Follow]:
    """Return the follows of the accounts this account follows that the viewer may see."""
    _check_lists_visible(viewer, account)
    return (
        Follow.objects.filter(accounts_visible_to(viewer, account="followee"), follower=account)
        .select_related("followee")
        .order_by("-id")
    )


def follow_requests_list(*, owner: User) -> QuerySet[FollowRequest]:
    """Return the pending requests to follow the owner, newest first."""
    return (
        FollowRequest.objects.filter(accounts_visible_to(owner, account="requester"), target=owner)
        .select_related("requester")
        .order_by("-id")
    )


def blocked_list(*, owner: User) -> QuerySet[Block]:
    """Return the owner's blocks of active accounts, newest first."""
    return (
        Block.objects.filter(blocker=owner, blocked__is_active=True)
        .select_related("blocked")
        .order_by("-id")
    )


def muted_list(*, owner: User) -> QuerySet[Mute]:
    """Return the owner's mutes of accounts it may see, newest first."""
    return (
        Mute.objects.filter(accounts_visible_to(owner, account="muted"), muter=owner)
        .select_related("muted")
        .order_by("-id")
    )


def blocker_ids(*, account: User) -> QuerySet[Block, int]:
    """Return the ids of the accounts that block an account."""
    return Block.objects.filter(blocked=account).values_list("blocker_id", flat=True)


def muter_ids(*, account: User) -> QuerySet[Mute, int]:
    """Return the ids of the accounts that mute an account."""
    return Mute.objects.filter(muted=account).values_list("muter_id", flat=True)


def block_target_get(*, viewer: User, username: str) -> User:
    """Return the account to block or unblock: one the viewer sees or already blocks.

    An account that blocked the viewer answers NotFound, like a missing one.
    """
    name = possible_username(username)
    if name is None:
        raise NotFound(MISSING_ACCOUNT)
    account = User.objects.filter(
        accounts_blockable_by(viewer), username__lower=name.lower()
    ).first()
    if account is None:
        raise NotFound(MISSING_ACCOUNT)
    return account


def related_account_get(*, viewer: User, account_id: int) -> User:
    """Return the account with this id the viewer may act on: one it may see, or one it
    blocks (to unblock it); an account that blocked the viewer answers NotFound."""
    account = User.objects.filter(accounts_blockable_by(viewer), pk=account_id).first()
    if account is None:
        raise NotFound(MISSING_ACCOUNT)
    return account


def follow_request_of(*, owner: User, requester_id: int) -> FollowRequest:
    """Return the pending request of this account to follow the owner, or raise NotFound."""
    found = follow_requests_list(owner=owner).filter(requester_id=requester_id).first()
    if found is None:
        raise NotFound(MISSING_REQUEST)
    return found


def follow_request_count(*, owner: User) -> int:
    """Return how many requests to follow the owner are pending."""
    return follow_requests_list(owner=owner).count()


def _check_lists_visible(viewer: User | None, account: User) -> None:
    if not content_visible(viewer, account):
        raise NotFound(MISSING_ACCOUNT)
