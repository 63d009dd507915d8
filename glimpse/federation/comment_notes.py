"""A comment written on this server as an ActivityPub ``Note``, a reply in its post's thread.

Its id is ``<site>/comments/<id>`` (that address answers the Note, ``views_objects``), it
answers the post's id (``inReplyTo``), or its thread's first comment for a reply, and its
audience follows the post's: public under a public account's post, that account's
followers under a private account's. ``comment_thread`` reads what the Note names besides
the comment (the post's and the parent's authors, the mentioned accounts); ``comment_note``
maps both to the document, with no query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from glimpse.accounts.models import User
from glimpse.accounts.presenters import AccountView, account_view_of
from glimpse.federation.actors import actor_id, followers_id
from glimpse.federation.mentions import handle_of, mention_uris
from glimpse.federation.models import RemoteActor
from glimpse.federation.notes import JsonObject, timestamp
from glimpse.federation.objects import comment_uri, local_comment_uri, post_uri
from glimpse.federation.recipients import actor_uri_of
from glimpse.federation.vocabulary import CONTEXT, PUBLIC
from glimpse.graph.visibility import content_visible
from glimpse.posts.models import Comment, Post
from glimpse.posts.presenters import CommentView
from glimpse.posts.text import text_html


@dataclass(frozen=True)
class Mentioned:
    """An account a comment names, with its actor id."""

    account: AccountView
    uri: str


@dataclass(frozen=True)
class CommentThread:
    """What a comment's Note names besides the comment itself."""

    in_reply_to: str  # the post's id, or the thread's first comment's
    post_author: str  # actor id
    parent_author: str | None  # actor id of the thread's first comment's author
    public: bool  # whether the post is public (its author's account is)
    post_followers: str  # the post author's followers collection ("" when unknown)
    mentions: tuple[Mentioned, ...]
    named_ids: tuple[int, ...]  # the accounts it names: post's author, parent's, mentioned


def comment_note(view: CommentView, thread: CommentThread) -> JsonObject:
    """Return a comment of this server as a Note, with its ``@context``."""
    me = actor_id(view.author.username)
    named = [thread.post_author]
    if thread.parent_author is not None:
        named.append(thread.parent_author)
    named += [mentioned.uri for mentioned in thread.mentions]
    copied = list(dict.fromkeys(uri for uri in named if uri != me))
    if thread.public:
        to, cc = [PUBLIC], [followers_id(view.author.username), *copied]
    else:
        to, cc = [uri for uri in (thread.post_followers,) if uri], copied
    names = {mentioned.account.username.lower(): mentioned.account for mentioned in thread.mentions}
    uri = local_comment_uri(view.id)
    return {
        "@context": CONTEXT,
        "id": uri,
        "type": "Note",
        "url": uri,
        "attributedTo": me,
        "inReplyTo": thread.in_reply_to,
        "published": timestamp(view.created_at),
        "to": to,
        "cc": cc,
        "summary": None,
        "sensitive": False,
        "content": text_html(view.text, mentions=names),
        "source": {"content": view.text, "mediaType": "text/plain"},
        "tag": [
            {"type": "Mention", "href": m.uri, "name": handle_of(m.account.username)}
            for m in thread.mentions
        ],
        "attachment": [],
    }


def comment_thread(view: CommentView, *, post: Post) -> CommentThread:
    """Return what a comment's Note names: its post, its thread, and the accounts it
    mentions that may see the post (a private account's post: its followers)."""
    author = post.author
    parent_author = None
    named = [author.pk]
    if view.parent_id is not None:
        parent = Comment.objects.select_related("author").get(pk=view.parent_id)
        parent_author = actor_uri_of(parent.author)
        named.append(parent.author_id)
    mentions = tuple(_mentioned(view.mentions, post_author=author))
    return CommentThread(
        in_reply_to=comment_uri(view.parent_id) if view.parent_id else post_uri(post.pk),
        post_author=actor_uri_of(author),
        parent_author=parent_author,
        public=not author.is_private,
        post_followers=_followers_of(author),
        mentions=mentions,
        named_ids=tuple(dict.fromkeys([*named, *(m.account.id for m in mentions)])),
    )


def _mentioned(usernames: Sequence[str], *, post_author: User) -> list[Mentioned]:
    """Return the named accounts that may see the post, in the comment's order."""
    if not usernames:
        return []
    found = {user.username: user for user in User.objects.filter(username__in=usernames)}
    users = [found[name] for name in usernames if name in found]
    # Naming an account that may not see the post would hand it the post's thread.
    users = [user for user in users if content_visible(user, post_author)]
    views = [account_view_of(user) for user in users]
    uris = mention_uris(views)
    return [Mentioned(view, uris[view.id]) for view in views if view.id in uris]


def _followers_of(account: User) -> str:
    """Return the id of an account's followers collection ("" when its server gave none)."""
    if not account.is_remote:
        return followers_id(account.username)
    found = RemoteActor.objects.filter(user_id=account.pk).values_list("followers", flat=True)
    return found.first() or ""
