"""What goes into an account's data archive: its JSON documents and the files to copy."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from glimpse.accounts.models import User
from glimpse.graph.models import Follow
from glimpse.media.models import MediaItem
from glimpse.media.selectors import media_original_path
from glimpse.messages.models import Member, Message
from glimpse.posts.models import Comment, Like, Post, Save
from glimpse.push.models import PushSubscription
from glimpse.stories.models import Highlight, Story

Document = list[dict[str, Any]] | dict[str, Any]


@dataclass
class ArchiveContents:
    """The JSON documents by file name, and the stored files by their name in the zip."""

    documents: dict[str, Document] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # zip name -> storage name


def archive_contents(*, user: User) -> ArchiveContents:
    """Collect everything the account made or did, as it is stored now."""
    contents = ArchiveContents()
    contents.documents["profile.json"] = _profile(user)
    contents.documents["posts.json"] = _posts(user, contents.files)
    contents.documents["comments.json"] = [
        {
            "id": str(comment.pk),
            "post_id": str(comment.post_id),
            "reply_to": str(comment.parent_id) if comment.parent_id else None,
            "text": comment.text,
            "created_at": _time(comment.created_at),
        }
        for comment in Comment.objects.filter(author=user).order_by("id")
    ]
    contents.documents["likes.json"] = _engagement(Like, user)
    contents.documents["saves.json"] = _engagement(Save, user)
    contents.documents["followers.json"] = [
        {"username": username, "since": _time(since)}
        for username, since in Follow.objects.filter(followee=user)
        .order_by("id")
        .values_list("follower__username", "created_at")
    ]
    contents.documents["following.json"] = [
        {"username": username, "since": _time(since)}
        for username, since in Follow.objects.filter(follower=user)
        .order_by("id")
        .values_list("followee__username", "created_at")
    ]
    contents.documents["stories.json"] = _stories(user, contents.files)
    contents.documents["highlights.json"] = [
        {
            "title": highlight.title,
            "created_at": _time(highlight.created_at),
            "story_ids": [str(item.story_id) for item in highlight.items.order_by("position")],
        }
        for highlight in Highlight.objects.filter(owner=user).order_by("id")
    ]
    contents.documents["messages.json"] = _messages(user, contents.files)
    contents.documents["push_devices.json"] = [
        {
            "device": device.device,
            "push_service": urlsplit(device.endpoint).hostname,
            "created_at": _time(device.created_at),
            "last_success_at": _time(device.last_success_at),
        }
        for device in PushSubscription.objects.filter(user=user).order_by("id")
    ]
    return contents


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": str(user.pk),
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "bio": user.bio,
        "website": user.website,
        "is_private": user.is_private,
        "date_joined": _time(user.date_joined),
        "follower_count": user.follower_count,
        "following_count": user.following_count,
        "post_count": user.post_count,
    }


def _posts(user: User, files: dict[str, str]) -> list[dict[str, Any]]:
    posts = (
        Post.objects.filter(author=user)
        .select_related("place")
        .prefetch_related("hashtags", "items__media")
        .order_by("id")
    )
    out = []
    for post in posts:
        items = []
        for item in post.items.all():
            entry = _media(item.media, f"media/posts/{post.pk}/{item.position}", files)
            entry["alt_text"] = item.alt_text or item.media.alt_text
            items.append(entry)
        place = post.place
        where = (
            None
            if place is None
            else {"name": place.name, "address": place.address, "lat": place.lat, "lng": place.lng}
        )
        out.append(
            {
                "id": str(post.pk),
                "caption": post.caption,
                "hashtags": sorted(tag.name for tag in post.hashtags.all()),
                "place": where,
                "archived": post.is_archived,
                "like_count": post.like_count,
                "comment_count": post.comment_count,
                "created_at": _time(post.created_at),
                "edited_at": _time(post.edited_at),
                "media": items,
            }
        )
    return out


def _stories(user: User, files: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for story in Story.objects.filter(author=user).select_related("media").order_by("id"):
        entry: dict[str, Any] = {
            "id": str(story.pk),
            "caption": story.caption,
            "audience": story.audience,
            "created_at": _time(story.created_at),
            "expires_at": _time(story.expires_at),
            "view_count": story.view_count,
        }
        entry["media"] = _media(story.media, f"media/stories/{story.pk}", files)
        out.append(entry)
    return out


def _messages(user: User, files: dict[str, str]) -> dict[str, Any]:
    """Describe the account's conversations and the messages it sent (not the others')."""
    rows = Member.objects.filter(account=user).select_related("conversation").order_by("pk")
    memberships = list(rows)
    ids = [row.conversation_id for row in memberships]
    others: dict[int, list[str]] = {}
    for conversation_id, username in (
        Member.objects.filter(conversation_id__in=ids, state=Member.State.ACTIVE)
        .exclude(account=user)
        .order_by("joined_at", "pk")
        .values_list("conversation_id", "account__username")
    ):
        others.setdefault(conversation_id, []).append(username)
    conversations = [
        {
            "id": str(row.conversation_id),
            "kind": row.conversation.kind,
            "name": row.conversation.name,
            "members": others.get(row.conversation_id, []),
            "your_state": row.state,
            "your_role": row.role,
            "joined_at": _time(row.joined_at),
        }
        for row in memberships
    ]
    sent = []
    for message in (
        Message.objects.filter(sender=user).prefetch_related("attachments__media").order_by("id")
    ):
        media = [
            _media(row.media, f"media/messages/{message.pk}/{row.position}", files)
            for row in sorted(message.attachments.all(), key=lambda row: row.position)
        ]
        sent.append(
            {
                "id": str(message.pk),
                "conversation_id": str(message.conversation_id),
                "kind": message.kind,
                "text": message.text,
                "reply_to": str(message.reply_to_id) if message.reply_to_id else None,
                "shared": _shared(message),
                "created_at": _time(message.created_at),
                "edited_at": _time(message.edited_at),
                "media": media,
            }
        )
    return {"conversations": conversations, "messages": sent}


def _shared(message: Message) -> dict[str, str | None] | None:
    """Say what a message shared, by kind and id (no id once that content is gone)."""
    if not message.shared_kind:
        return None
    shared_id = message.shared_post_id or message.shared_story_id or message.shared_account_id
    return {"kind": message.shared_kind, "id": str(shared_id) if shared_id else None}


def _media(item: MediaItem, stem: str, files: dict[str, str]) -> dict[str, Any]:
    """Describe one media item and note its original file under ``stem`` in the zip."""
    source = media_original_path(item)
    file_name = None
    if source:
        file_name = stem + posixpath.splitext(source)[1]
        files[file_name] = source
    return {
        "kind": item.kind,
        "file": file_name,
        "width": item.width,
        "height": item.height,
        "duration": item.duration,
        "filter": item.edit,
        "crop": item.crop,
        "alt_text": item.alt_text,
    }


def _engagement(model: type[Like] | type[Save], user: User) -> list[dict[str, Any]]:
    rows = model.objects.filter(user=user).order_by("id")
    return [
        {"post_id": str(post_id), "author": author, "at": _time(created_at)}
        for post_id, author, created_at in rows.values_list(
            "post_id", "post__author__username", "created_at"
        )
    ]


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
