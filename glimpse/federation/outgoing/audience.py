"""Who an outgoing activity goes to: the inboxes of the accounts of other servers that may
see what it carries, decided by the one visibility policy.

Followers of an account see its content by definition (a block ends a follow); any other
account named (a mentioned one, the author of a post or comment answered) is checked with
the policy (``content_visible``), one by one: they are few.
"""

from __future__ import annotations

from collections.abc import Iterable

from glimpse.accounts.models import User
from glimpse.federation.models import RemoteActor
from glimpse.federation.recipients import inboxes_of
from glimpse.graph.models import Follow
from glimpse.graph.visibility import account_visible, blocked_pairs, content_visible


def remote_follower_ids(account_id: int) -> list[int]:
    """Return the ids of an account's followers on other servers."""
    followers = Follow.objects.filter(followee_id=account_id).values("follower_id")
    return list(RemoteActor.objects.filter(user_id__in=followers).values_list("user_id", flat=True))


def remote_following_ids(account_id: int) -> list[int]:
    """Return the ids of the accounts of other servers an account follows."""
    followed = Follow.objects.filter(follower_id=account_id).values("followee_id")
    return list(RemoteActor.objects.filter(user_id__in=followed).values_list("user_id", flat=True))


def seeing_content_of(
    author: User, account_ids: Iterable[int], *, writer: User | None = None
) -> list[int]:
    """Return the accounts of other servers among ``account_ids`` that may see the author's
    content (and the ``writer``'s, for a comment by another account), in the order given."""
    wanted = list(dict.fromkeys(account_ids))
    if not wanted:
        return []
    # Accounts of this server are left out here: they see it here, nothing is sent them.
    remote = set(RemoteActor.objects.filter(user_id__in=wanted).values_list("user_id", flat=True))
    users = {user.pk: user for user in User.objects.filter(pk__in=remote)}
    return [
        pk
        for pk in wanted
        if pk in users
        and content_visible(users[pk], author)
        and (writer is None or account_visible(users[pk], writer))
    ]


def not_blocked_with(account_ids: Iterable[int], others: Iterable[int]) -> list[int]:
    """Return the accounts among ``account_ids`` that no block stands between with any of
    ``others``, either way (one query)."""
    ids = list(dict.fromkeys(account_ids))
    pairs = blocked_pairs(set(ids), set(others))
    blocked = {first for first, _ in pairs}
    return [pk for pk in ids if pk not in blocked]


def inboxes(account_ids: Iterable[int]) -> list[str]:
    """Return the distinct inboxes of these accounts of other servers (shared ones first)."""
    return inboxes_of(list(dict.fromkeys(account_ids)))


def post_audience(author: User, *, mentioned: Iterable[int]) -> list[int]:
    """Return the accounts of other servers a post goes to: the author's followers, and the
    mentioned accounts that may see it (none but followers for a private account's post)."""
    followers = remote_follower_ids(author.pk)
    return list(dict.fromkeys([*followers, *seeing_content_of(author, mentioned)]))


def comment_audience(
    *, writer: User, post_author: User, named: Iterable[int], post_is_local: bool
) -> list[int]:
    """Return the accounts of other servers a comment goes to.

    The accounts it names (the post's author, the thread's first comment's author, the
    mentioned ones) that may see it; the writer's followers when the post is public; and,
    for a post of this server, the post author's followers (a private account's post:
    only they), so that the thread is whole on their servers.
    """
    found = seeing_content_of(post_author, named, writer=writer)
    if not post_author.is_private:
        # Anyone may see a public post, but nobody across a block with its author.
        found += not_blocked_with(remote_follower_ids(writer.pk), [post_author.pk])
    if post_is_local:
        found += not_blocked_with(remote_follower_ids(post_author.pk), [writer.pk])
    return list(dict.fromkeys(found))
