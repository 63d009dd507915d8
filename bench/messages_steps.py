"""The data of bench/messages.py, made inside Django on the run's own database.

``prepare`` makes the accounts whose sockets the load opens (each with an API token), pairs
them into one-to-one conversations, gathers some into groups, and gives one more account an
inbox of a full page (one-to-ones and groups, text, a photo, shared posts) and a one-to-one
with a page of messages (replies, reactions, a shared post), for the page costs.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.hashers import make_password

from bench.tokens import bench_tokens
from glimpse.accounts.models import User
from glimpse.graph.models import Follow
from glimpse.media.services import media_upload
from glimpse.messages import services
from glimpse.posts import services as posts
from glimpse.posts.demo import scene_jpeg

PAGE = 20


def prepare(*, accounts: int, group_size: int, groups: int, prefix: str = "dm") -> dict[str, Any]:
    """Make the load's accounts and conversations, and the page viewer's; return the plan:
    tokens, conversations with their members (indexes into the accounts), page paths."""
    password = make_password("bench-password-long-enough")
    users = User.objects.bulk_create(
        User(username=f"{prefix}{n:04d}", email=f"{prefix}{n:04d}@bench.invalid", password=password)
        for n in range(accounts)
    )
    tokens = bench_tokens(u.pk for u in users)
    pairs = [(2 * k, 2 * k + 1) for k in range(accounts // 2)]
    clusters = [
        list(range(k * group_size, (k + 1) * group_size))
        for k in range(min(groups, accounts // group_size))
    ]
    # Each conversation's starter is followed by the others: it lands in their inbox, not in
    # their Requests.
    follows = {(b, a) for a, b in pairs} | {(m, c[0]) for c in clusters for m in c[1:]}
    Follow.objects.bulk_create(
        Follow(follower=users[f], followee=users[t]) for f, t in sorted(follows)
    )
    # The groups spread among the one-to-ones, so that a short run sends to some of each.
    step = max(1, len(pairs) // max(1, len(clusters)))
    order = [list(pair) for pair in pairs]
    for k, cluster in enumerate(clusters):
        order.insert(min(len(order), (k + 1) * step + k), cluster)
    chats = []
    for members in order:
        name = "Bench group" if len(members) > 2 else ""
        chat, _ = services.conversation_start(
            actor=users[members[0]], usernames=[users[m].username for m in members[1:]], name=name
        )
        chats.append({"id": str(chat.pk), "members": members})
    pages = _pages(prefix, password)
    return {
        "tokens": [tokens[u.pk] for u in users],
        "account_ids": [str(u.pk) for u in users],
        "conversations": chats,
        **pages,
    }


def _pages(prefix: str, password: str) -> dict[str, Any]:
    """Make the page viewer and the accounts it talks with: an inbox of a full page, and a
    one-to-one with a page of messages; return its token and the two pages' paths."""
    viewer, *others = User.objects.bulk_create(
        User(username=f"{prefix}{name}", email=f"{prefix}{name}@bench.invalid", password=password)
        for name in ["viewer", *(f"friend{n:02d}" for n in range(PAGE + 2))]
    )
    token = bench_tokens([viewer.pk])[viewer.pk]
    Follow.objects.bulk_create(Follow(follower=u, followee=viewer) for u in others)
    photo = scene_jpeg("sunset", seed=3)
    shared = _post(others[0], photo)
    chats = []
    for n in range(PAGE):
        group = n % 3 == 2
        members = [others[n].username, others[n + 1].username, others[n + 2].username]
        chat, _ = services.conversation_start(
            actor=viewer,
            usernames=members if group else members[:1],
            name="" if not group else "Friends",
        )
        chats.append(chat)
        other = others[n]
        if n % 4 == 0:
            services.message_send(actor=other, conversation_id=chat.pk, shared_post_id=shared.pk)
        elif n % 4 == 1:
            item = media_upload(owner=viewer, upload=io.BytesIO(photo), size_bytes=len(photo))
            services.message_send(actor=viewer, conversation_id=chat.pk, media_ids=[item.pk])
        else:
            services.message_send(actor=other, conversation_id=chat.pk, text=f"see you at {n}")
    busy, friend = chats[1], others[1]
    previous = None
    for n in range(PAGE):
        sender = viewer if n % 2 else friend
        message = services.message_send(
            actor=sender,
            conversation_id=busy.pk,
            text=f"message {n}",
            reply_to_id=previous.pk if previous is not None and n % 3 == 0 else None,
            shared_post_id=shared.pk if n % 5 == 4 else None,
        )
        services.message_react(
            actor=viewer if sender is friend else friend, message_id=message.pk, emoji="❤️"
        )
        previous = message
    return {
        "viewer_token": token,
        "inbox_path": f"/api/glimpse/v1/conversations?limit={PAGE}",
        "page_path": f"/api/glimpse/v1/conversations/{busy.pk}/messages?limit={PAGE}",
    }


def _post(author: User, photo: bytes) -> Any:
    """Publish a one-photo post for the conversations to share."""
    item = media_upload(owner=author, upload=io.BytesIO(photo), size_bytes=len(photo))
    return posts.post_create(author=author, media_ids=[item.pk], caption="shared in messages")
