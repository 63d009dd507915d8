"""What local accounts do to others' content and accounts, sent to other servers: likes of
their posts and comments, reposts, and blocks, each with its Undo.

Likes of this server's posts and comments stay here: their authors are told here, and no
other server shows the count. A repost goes to the reposter's followers on other servers
and to the post's author when it is another server's.
"""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.federation.actors import actor_id, followers_id
from glimpse.federation.delivery.services import deliver_activity
from glimpse.federation.objects import comment_uri, post_uri
from glimpse.federation.outgoing.activities import (
    announce_activity,
    block_activity,
    like_activity,
    undo_activity,
)
from glimpse.federation.outgoing.audience import inboxes, not_blocked_with, remote_follower_ids
from glimpse.federation.outgoing.common import local_account
from glimpse.federation.recipients import actor_uri_of
from glimpse.posts.models import Comment, Post
from glimpse.posts.selectors import post_is_public


def like_send(*, post_id: int, user_id: int, undo: bool = False) -> int:
    """Send a Like of another server's post (or its Undo) to the post's author."""
    user = local_account(user_id)
    post = Post.objects.select_related("author").filter(pk=post_id).first()
    if user is None or post is None or not post.author.is_remote:
        return 0
    like = like_activity(
        actor=actor_id(user.username), object_id=post_uri(post_id), key=str(post_id)
    )
    return _to_author(undo_activity(like) if undo else like, user, post.author)


def comment_like_send(*, comment_id: int, user_id: int, undo: bool = False) -> int:
    """Send a Like of another server's comment (or its Undo) to the comment's author."""
    user = local_account(user_id)
    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if user is None or comment is None or not comment.author.is_remote:
        return 0
    like = like_activity(
        actor=actor_id(user.username),
        object_id=comment_uri(comment_id),
        key=f"comments/{comment_id}",
    )
    return _to_author(undo_activity(like) if undo else like, user, comment.author)


def repost_send(*, repost_id: int, post_id: int, user_id: int, undo: bool = False) -> int:
    """Send the Announce of a repost (or its Undo) to the reposter's followers of other
    servers and to the post's author when it is another server's."""
    user = local_account(user_id)
    post = Post.objects.select_related("author").filter(pk=post_id).first()
    if user is None or post is None:
        return 0
    if not undo and not post_is_public(post_id=post_id):
        return 0  # only a post the public may see is reposted, and only such a one is sent
    announce = announce_activity(
        actor=actor_id(user.username),
        object_id=post_uri(post_id),
        key=repost_id,
        followers=followers_id(user.username),
        author=actor_uri_of(post.author),
    )
    followers = not_blocked_with(remote_follower_ids(user.pk), [post.author_id])
    recipients = [*followers, post.author_id] if post.author.is_remote else followers
    activity = undo_activity(announce) if undo else announce
    return deliver_activity(activity=activity, actor=user, inboxes=inboxes(recipients))


def block_send(*, blocker_id: int, blocked_id: int, undo: bool = False) -> int:
    """Send a Block of another server's account (or its Undo) to that account."""
    blocker = local_account(blocker_id)
    blocked = User.objects.filter(pk=blocked_id).first()
    if blocker is None or blocked is None or not blocked.is_remote:
        return 0
    block = block_activity(
        actor=actor_id(blocker.username), blocked=actor_uri_of(blocked), key=blocked_id
    )
    return _to_author(undo_activity(block) if undo else block, blocker, blocked)


def _to_author(activity: dict[str, object], actor: User, author: User) -> int:
    """Deliver an activity to one account of another server."""
    return deliver_activity(activity=activity, actor=actor, inboxes=inboxes([author.pk]))
