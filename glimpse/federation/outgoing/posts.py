"""Posts sent to other servers: a Create when published or shown again, an Update when
edited, a Delete when deleted, removed by a moderator or archived.

A public account's post is presented as the public sees it. A private account's post is
not shown to the public, so it is presented as its author sees it, checked to be visible
to a follower (not archived, not hidden by reports), and its mentions are cut to the
accounts that may see it: a Note that names an account hands it the post on Mastodon.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from glimpse.accounts.models import User
from glimpse.core import clock
from glimpse.federation.actors import actor_id, followers_id
from glimpse.federation.delivery.services import deliver_activity
from glimpse.federation.notes import create_id, note_object
from glimpse.federation.objects import local_post_uri
from glimpse.federation.outgoing.activities import (
    create_activity,
    delete_activity,
    update_activity,
)
from glimpse.federation.outgoing.audience import inboxes, post_audience, remote_follower_ids
from glimpse.federation.outgoing.common import local_account
from glimpse.federation.vocabulary import PUBLIC
from glimpse.graph.visibility import content_visible
from glimpse.posts.presenters import PostView
from glimpse.posts.shown import posts_shown


def post_create_send(*, post_id: int, author_id: int, again: bool = False) -> int:
    """Send the Create of a new post (``again``: of a post shown again after its archive)
    to the accounts of other servers that may see it; return how many inboxes."""
    author = local_account(author_id)
    view = post_presented(author, post_id) if author is not None else None
    if author is None or view is None:
        return 0
    note = note_object(view)
    activity_id = create_id(view.permalink)
    if again:
        # Its first Create was followed by a Delete: a server that keeps activity ids
        # would take a second one with the same id for a copy.
        activity_id += f"/{int(clock.now() * 1000)}"
    activity = create_activity(note, activity_id=activity_id)
    return _deliver(activity, author, view)


def post_update_send(*, post_id: int, author_id: int) -> int:
    """Send the Update of an edited post to the accounts of other servers that may see it."""
    author = local_account(author_id)
    view = post_presented(author, post_id) if author is not None else None
    if author is None or view is None:
        return 0
    return _deliver(update_activity(note_object(view)), author, view)


def post_delete_send(*, post_id: int, author_id: int, mentioned: Iterable[int] = ()) -> int:
    """Send the Delete of a post (gone, or archived) to its author's followers of other
    servers and to the ``mentioned`` accounts it was sent to."""
    author = local_account(author_id)
    if author is None:
        return 0
    followers = followers_id(author.username)
    to, cc = ([followers], []) if author.is_private else ([PUBLIC], [followers])
    activity = delete_activity(
        object_id=local_post_uri(post_id), actor=actor_id(author.username), to=to, cc=cc
    )
    recipients = [*remote_follower_ids(author.pk), *mentioned]
    return deliver_activity(activity=activity, actor=author, inboxes=inboxes(recipients))


def post_archive_send(*, post_id: int, author_id: int) -> int:
    """Send the Delete of an archived post: it is hidden from everyone but its author."""
    mentioned = post_sent_to(post_id=post_id, author_id=author_id)
    if mentioned is None:
        return 0
    return post_delete_send(post_id=post_id, author_id=author_id, mentioned=mentioned)


def post_sent_to(*, post_id: int, author_id: int) -> tuple[int, ...] | None:
    """Return the mentioned accounts of other servers a post was sent to beside the author's
    followers, or None when nothing is sent about it (federation off, another server's)."""
    author = local_account(author_id)
    if author is None:
        return None
    found = posts_shown(viewer=author, post_ids=[post_id])
    if not found:
        return ()
    return tuple(post_audience_mentions(author, found[0]))


def post_presented(author: User, post_id: int) -> PostView | None:
    """Return a live post as the accounts it is sent to see it, or None when none may."""
    if not author.is_private:
        public = posts_shown(viewer=None, post_ids=[post_id], listed=True)
        return public[0] if public else None
    followers = remote_follower_ids(author.pk)
    if not followers:
        return None  # only followers may see it, and none is on another server
    follower = User.objects.get(pk=followers[0])
    if not posts_shown(viewer=follower, post_ids=[post_id], listed=True):
        return None
    view = posts_shown(viewer=author, post_ids=[post_id], listed=True)[0]
    named = {user.pk: user for user in User.objects.filter(pk__in=[a.id for a in view.mentions])}
    kept = tuple(a for a in view.mentions if a.id in named and content_visible(named[a.id], author))
    return replace(view, mentions=kept)


def post_audience_mentions(author: User, view: PostView) -> list[int]:
    """Return the mentioned accounts of other servers a post goes to beyond the followers."""
    followers = set(remote_follower_ids(author.pk))
    audience = post_audience(author, mentioned=[a.id for a in view.mentions])
    return [pk for pk in audience if pk not in followers]


def _deliver(activity: dict[str, object], author: User, view: PostView) -> int:
    recipients = post_audience(author, mentioned=[a.id for a in view.mentions])
    return deliver_activity(activity=activity, actor=author, inboxes=inboxes(recipients))
