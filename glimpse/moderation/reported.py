"""What a report is about: finding the reported object (its target) as the reporter may see
it, or as moderators do, whatever its visibility."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.graph.visibility import accounts_visible_to
from glimpse.messages import selectors as messages_selectors
from glimpse.messages.models import Message
from glimpse.moderation.models import TargetType
from glimpse.posts.models import Comment, Post
from glimpse.stories.models import Story

MISSING = {
    TargetType.POST: "No post with this id.",
    TargetType.COMMENT: "No comment with this id.",
    TargetType.STORY: "No story with this id.",
    TargetType.ACCOUNT: "No account with this id.",
    TargetType.MESSAGE: messages_selectors.MISSING_MESSAGE,
}
EXCERPT = 300


@dataclass
class Target:
    """A reported object (None once removed), the account it belongs to, and its text."""

    type: str
    id: int
    account: User | None
    excerpt: str
    obj: Any = field(default=None)


def target_visible(*, viewer: User, target_type: str, target_id: int) -> Target:
    """Return a target the viewer may see, or raise NotFound (the same for a hidden one)."""
    found = _query(target_type, target_id, viewer=viewer, checked=True)
    if found is None:
        raise NotFound(MISSING.get(TargetType(target_type), "Nothing with this id."))
    return found


def target_load(*, target_type: str, target_id: int) -> Target | None:
    """Return a target whatever its visibility (for moderators), or None when it is gone."""
    return _query(target_type, target_id, viewer=None, checked=False)


def _query(
    target_type: str, target_id: int, *, viewer: User | None, checked: bool
) -> Target | None:
    if target_type == TargetType.POST:
        posts = Post.objects.select_related("author", "place")
        post = (posts.visible_to(viewer) if checked else posts).filter(pk=target_id)
        row = post.first()
        return (
            Target(target_type, target_id, row.author, row.caption[:EXCERPT], row) if row else None
        )
    if target_type == TargetType.COMMENT:
        comments = Comment.objects.select_related("author", "post", "post__author")
        if checked:
            comments = comments.visible_to(viewer)
        found = comments.filter(pk=target_id).first()
        if found is None:
            return None
        return Target(target_type, target_id, found.author, found.text[:EXCERPT], found)
    if target_type == TargetType.STORY:
        stories = Story.objects.select_related("author", "media")
        if checked:
            stories = stories.visible_to(viewer)
        story = stories.filter(pk=target_id).first()
        return (
            Target(target_type, target_id, story.author, story.caption[:EXCERPT], story)
            if story
            else None
        )
    if target_type == TargetType.ACCOUNT:
        accounts = (
            User.objects.filter(accounts_visible_to(viewer)) if checked else User.objects.all()
        )
        account = accounts.filter(pk=target_id).first()
        if account is None:
            return None
        return Target(target_type, target_id, account, account.bio[:EXCERPT], account)
    if target_type == TargetType.MESSAGE:
        message = _message(target_id, viewer=viewer, checked=checked)
        if message is None:
            return None
        return Target(target_type, target_id, message.sender, _said(message), message)
    return None


def _message(message_id: int, *, viewer: User | None, checked: bool) -> Message | None:
    """Return a direct message: one the viewer may read (a member still in its conversation,
    its sender visible), or any for moderators."""
    if not checked:
        return Message.objects.select_related("sender").filter(pk=message_id).first()
    if viewer is None:
        return None
    try:
        return messages_selectors.message_get(viewer=viewer, message_id=message_id)
    except NotFound:
        return None


def _said(message: Message) -> str:
    """Return what a message says, or what it carries when it has no text."""
    if message.text:
        return message.text[:EXCERPT]
    if message.shared_kind:
        return f"(shared a {message.shared_kind})"
    return "(photos or videos)"
