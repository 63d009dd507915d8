"""What an action means for notifications: who is told, under which entry, and whether the
action still stands (the like, the comment, the follow exists now) or was undone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.graph.models import Follow, FollowRequest
from glimpse.notifications.activity import Activity
from glimpse.notifications.models import Kind, Notification, NotificationActor
from glimpse.posts.models import Comment, CommentLike, Like, PeopleTag, Post, PostMention

# One entry per story, actor and recipient: a reaction, a reply, or a mention on the story.
_STORY_KINDS = (Kind.STORY_REACTION, Kind.STORY_REPLY, Kind.STORY_MENTION)


@dataclass(frozen=True)
class Target:
    """One recipient's entry an action adds its actor to (``present``) or takes it out of.

    An empty ``group_key`` on a removal means: any entry of this kind with this actor.
    """

    kind: str
    recipient_id: int
    group_key: str
    present: bool
    post_id: int | None = None
    comment_id: int | None = None
    story_id: int | None = None
    text: str = ""
    actor_id: int | None = None  # when not the action's actor (an approval tells both ways)


def targets_of(*, activity: Activity, actor: User, undo: bool) -> list[Target]:
    """Return the entries an action of this kind touches, checked against what exists now."""
    kind, recipient_id = activity.kind, activity.recipient_id
    post_id, comment_id, story_id = activity.post_id, activity.comment_id, activity.story_id
    if kind == Kind.LIKE and post_id is not None:
        return _like(actor, post_id)
    if kind == Kind.COMMENT_LIKE and comment_id is not None:
        return _comment_like(actor, comment_id)
    if kind in (Kind.COMMENT, Kind.REPLY) and comment_id is not None:
        return _comment(comment_id)
    if kind in (Kind.MENTION, Kind.TAGGED) and post_id is not None:
        return _post_links(actor, post_id)
    if kind == Kind.FOLLOW_REQUEST and recipient_id == actor.pk:
        return _requests_sweep(actor.pk)
    if kind in (Kind.FOLLOW, Kind.FOLLOW_REQUEST) and recipient_id is not None:
        return _follow(actor.pk, recipient_id)
    if kind == Kind.REQUEST_APPROVED and recipient_id is not None:
        approved = Follow.objects.filter(follower_id=recipient_id, followee=actor).exists()
        key = f"request_approved:{actor.pk}"
        return [Target(kind, recipient_id, key, approved), *_follow(recipient_id, actor.pk)]
    if kind in _STORY_KINDS and recipient_id and story_id:
        key = f"{kind}:{story_id}:{actor.pk}"
        text = activity.text[:300]
        return [Target(kind, recipient_id, key, not undo, story_id=story_id, text=text)]
    return []


def _like(actor: User, post_id: int) -> list[Target]:
    author_id = Post.objects.filter(pk=post_id).values_list("author_id", flat=True).first()
    if author_id is None:
        return []  # the post is gone, and its notifications with it
    liked = Like.objects.filter(post_id=post_id, user=actor).exists()
    return [Target(Kind.LIKE, author_id, f"like:{post_id}", liked, post_id=post_id)]


def _comment_like(actor: User, comment_id: int) -> list[Target]:
    comment = Comment.objects.filter(pk=comment_id).only("author_id", "post_id").first()
    if comment is None:
        return []
    liked = CommentLike.objects.filter(comment_id=comment_id, user=actor).exists()
    key = f"comment_like:{comment_id}"
    return [
        Target(
            Kind.COMMENT_LIKE,
            comment.author_id,
            key,
            liked,
            post_id=comment.post_id,
            comment_id=comment_id,
        )
    ]


def _comment(comment_id: int) -> list[Target]:
    """Tell the parent's author (reply), the mentioned (mention), the post's author (comment).

    Each account hears once of a comment, under the most personal of the three.
    """
    comment = Comment.objects.select_related("post", "parent").filter(pk=comment_id).first()
    if comment is None:
        return []  # deleted: its notifications went with it
    told: list[tuple[str, int]] = []
    if comment.parent is not None:
        told.append((Kind.REPLY, comment.parent.author_id))
    mentioned = comment.mentions.order_by("id").values_list("account_id", flat=True)
    told += [(Kind.MENTION, account_id) for account_id in mentioned]
    told.append((Kind.COMMENT, comment.post.author_id))
    targets: dict[int, Target] = {}
    for kind, recipient_id in told:
        targets.setdefault(
            recipient_id,
            Target(
                kind,
                recipient_id,
                f"{kind}:comment:{comment_id}",
                True,
                post_id=comment.post_id,
                comment_id=comment_id,
            ),
        )
    return list(targets.values())


def _post_links(actor: User, post_id: int) -> list[Target]:
    """Tell the accounts mentioned in a caption or tagged in a post; untell the ones left out."""
    if not Post.objects.filter(pk=post_id, author=actor).exists():
        return []
    wanted = {
        Kind.MENTION: set(
            PostMention.objects.filter(post_id=post_id).values_list("account_id", flat=True)
        ),
        Kind.TAGGED: set(
            PeopleTag.objects.filter(post_id=post_id).values_list("account_id", flat=True)
        ),
    }
    targets = []
    for kind, recipient_ids in wanted.items():
        key = f"{kind}:post:{post_id}"
        told = set(
            Notification.objects.filter(group_key=key, post_id=post_id).values_list(
                "recipient_id", flat=True
            )
        )
        targets += [Target(kind, pk, key, True, post_id=post_id) for pk in sorted(recipient_ids)]
        targets += [
            Target(kind, pk, key, False, post_id=post_id) for pk in sorted(told - recipient_ids)
        ]
    return targets


def _follow(follower_id: int, followee_id: int) -> list[Target]:
    """Tell of a new follower (grouped per day) or a pending request; untell what ended."""
    follows = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).exists()
    requested = FollowRequest.objects.filter(
        requester_id=follower_id, target_id=followee_id
    ).exists()
    day = timezone.now().date().isoformat()
    # A removal finds the follower in whichever day's entry it joined.
    follow_key = f"follow:{day}" if follows else ""
    return [
        Target(Kind.FOLLOW, followee_id, follow_key, follows, actor_id=follower_id),
        Target(
            Kind.FOLLOW_REQUEST,
            followee_id,
            f"follow_request:{follower_id}",
            requested,
            actor_id=follower_id,
        ),
    ]


def _requests_sweep(owner_id: int) -> list[Target]:
    """Untell the owner of the requests no longer pending (denied, cancelled)."""
    told = NotificationActor.objects.filter(
        notification__recipient_id=owner_id, notification__kind=Kind.FOLLOW_REQUEST
    ).values_list("actor_id", flat=True)
    pending = FollowRequest.objects.filter(target_id=owner_id).values_list(
        "requester_id", flat=True
    )
    return [
        Target(Kind.FOLLOW_REQUEST, owner_id, f"follow_request:{pk}", False, actor_id=pk)
        for pk in sorted(set(told) - set(pending))
    ]
