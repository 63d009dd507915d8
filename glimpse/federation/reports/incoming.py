"""``Flag`` from other servers: a report of local accounts or their content, filed in the
moderation queue with the sending actor (usually that server's instance actor) as reporter."""

from __future__ import annotations

from typing import Any

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError
from glimpse.federation.html import html_to_text
from glimpse.federation.incoming.registry import Ignored, Incoming, handles, id_of
from glimpse.federation.objects import local_target
from glimpse.federation.remote.resolve import local_account_by_uri
from glimpse.federation.reports.services import remote_report_file
from glimpse.posts.models import Comment, Post

MOST_OBJECTS = 40


@handles("Flag")
def flag_received(incoming: Incoming) -> None:
    """File the report of a local account, or of its posts and comments."""
    named = _named(incoming.object)
    accounts = [a for a in (local_account_by_uri(uri) for uri in named) if a is not None]
    content = _content_authors(named)
    account = accounts[0] if accounts else next(iter(content.values()), None)
    if account is None:
        raise Ignored("it reports nothing of this server")
    content_ids = [pk for pk, author in content.items() if author.pk == account.pk]
    comment = html_to_text(str(incoming.activity.get("content") or ""))
    try:
        remote_report_file(
            reporter=incoming.actor, account=account, content_ids=content_ids, comment=comment
        )
    except GlimpseError as refused:
        # Reported already, or not visible to the sender: nothing more to file.
        raise Ignored(refused.message) from refused


def _named(value: Any) -> list[str]:
    """Return the ids a Flag's ``object`` names (one, or a list), at most a bounded number."""
    values = value if isinstance(value, list) else [value]
    return [uri for uri in (id_of(v) for v in values[:MOST_OBJECTS]) if uri]


def _content_authors(named: list[str]) -> dict[int, User]:
    """Return the local posts and comments named, by id, with their authors."""
    post_ids: list[int] = []
    comment_ids: list[int] = []
    for uri in named:
        target = local_target(uri)
        if target is not None:
            (post_ids if target.kind == "post" else comment_ids).append(target.id)
    found: dict[int, User] = {
        post.pk: post.author
        for post in Post.objects.select_related("author").filter(pk__in=post_ids)
    }
    found.update(
        (comment.pk, comment.author)
        for comment in Comment.objects.select_related("author").filter(pk__in=comment_ids)
    )
    return found
