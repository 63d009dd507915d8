"""Writes about whole servers: an account's own domain blocks, the follows a blocked or
suspended server's accounts lose, and the servers kept out of public surfaces.

A domain block is a block of every account of the server, present and future: the policy
hides them from the owner and the owner from them, and the follows and requests between
them end when it is made, counted out like any unfollow.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q, QuerySet

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput
from glimpse.core.event_bus import publish
from glimpse.core.events import DomainBlockChanged, FollowRemoved
from glimpse.core.site import site_url
from glimpse.graph.domain_names import domain_clean
from glimpse.graph.limited import limited_domains_forget
from glimpse.graph.models import AccountDomainBlock, Follow, FollowRequest, LimitedDomain
from glimpse.graph.services import _count_follows, _lock_ids

FOLLOWS_BATCH = 500
OWN_SERVER = "That is this server: block its accounts one by one."


def account_domain_block_create(*, owner: User, domain: str) -> str:
    """Block every account of a server for the owner; return the domain as stored.

    Follows and requests both ways between the owner and the server's accounts end. Doing it
    twice changes nothing.
    """
    host = domain_clean(domain)
    if host == (urlsplit(site_url()).hostname or "").lower():
        raise InvalidInput(fields={"domain": [OWN_SERVER]})
    with transaction.atomic():
        _lock_ids([owner.pk])
        if AccountDomainBlock.objects.filter(owner=owner, domain=host).exists():
            return host
        AccountDomainBlock.objects.create(owner=owner, domain=host)
        theirs = Q(follower=owner, followee__domain=host) | Q(followee=owner, follower__domain=host)
        ended = _follows_end(Follow.objects.filter(theirs))
        FollowRequest.objects.filter(
            Q(requester=owner, target__domain=host) | Q(target=owner, requester__domain=host)
        ).delete()
        publish(
            DomainBlockChanged(owner_id=owner.pk, domain=host, blocking=True, follows_ended=ended)
        )
    return host


def account_domain_block_delete(*, owner: User, domain: str) -> str:
    """Unblock a server for the owner (the follows the block ended stay ended); return it."""
    host = domain_clean(domain)
    if AccountDomainBlock.objects.filter(owner=owner, domain=host).delete()[0]:
        publish(DomainBlockChanged(owner_id=owner.pk, domain=host, blocking=False))
    return host


def domain_follows_end(*, domain: str) -> int:
    """End every follow and request between the accounts of this exact host and the others;
    return how many follows ended. Safe to run again: it ends what is left."""
    accounts = User.objects.filter(domain=domain).values("pk")
    across = Q(follower__in=accounts) | Q(followee__in=accounts)
    total = 0
    while True:
        with transaction.atomic():
            batch = list(Follow.objects.filter(across).values_list("pk", flat=True)[:FOLLOWS_BATCH])
            if not batch:
                break
            total += len(_follows_end(Follow.objects.filter(pk__in=batch)))
    FollowRequest.objects.filter(Q(requester__in=accounts) | Q(target__in=accounts)).delete()
    return total


def limited_domain_add(*, domain: str) -> None:
    """Keep a server's accounts (subdomains included) out of public surfaces for those who
    do not follow them; twice is fine."""
    LimitedDomain.objects.get_or_create(domain=domain_clean(domain))
    limited_domains_forget()


def limited_domain_remove(*, domain: str) -> None:
    """Let a server's accounts into public surfaces again; not limited is fine."""
    LimitedDomain.objects.filter(domain=domain_clean(domain)).delete()
    limited_domains_forget()


def _follows_end(follows: QuerySet[Follow]) -> tuple[tuple[int, int], ...]:
    """Delete these follows under the locks of their accounts, count them out, and tell the
    apps above of each; return the pairs ended. Call it inside a transaction."""
    edges = list(follows.values_list("follower_id", "followee_id"))
    if not edges:
        return ()
    _lock_ids({pk for edge in edges for pk in edge})
    # Read again under the locks: a follow ended meanwhile is not counted twice.
    edges = list(follows.values_list("follower_id", "followee_id"))
    follows.delete()
    _count_follows(
        followee_ids=[followee for _, followee in edges],
        follower_ids=[follower for follower, _ in edges],
        delta=-1,
    )
    # Each follow is between an account here and one of the server's: the one here ends it,
    # as the followee when its follower is the server's.
    remote = set(
        User.objects.filter(pk__in={f for f, _ in edges})
        .exclude(domain="")
        .values_list("pk", flat=True)
    )
    for follower_id, followee_id in edges:
        publish(
            FollowRemoved(
                follower_id=follower_id,
                followee_id=followee_id,
                existed=True,
                by_followee=follower_id in remote,
            )
        )
    return tuple(edges)
