"""A real Mastodon client library reads Glimpse through a live server: the instance, who
signed in, the timelines, a status and its thread, and the next page by its Link header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mastodon import Mastodon

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.mastodon.conftest import follow

pytestmark = pytest.mark.django_db(transaction=True)


def test_mastodon_py_reads_the_client_api(
    live_server: Any,
    make_user: Callable[..., User],
    post_by: Callable[..., Post],
    act: Callable[..., Any],
) -> None:
    viewer, ana = make_user("viewer", display_name="Vi"), make_user("ana")
    act(lambda: follow(viewer, ana))
    posts = [post_by(ana, f"#sunset number {n}", count=2) for n in range(3)]
    comment = act(
        lambda: services.comment_create(author=viewer, post_id=posts[0].pk, text="lovely @ana")
    )
    _, secret = token_create(user=viewer, name="client")
    client = Mastodon(access_token=secret, api_base_url=live_server.url)

    instance = client.instance()
    assert instance.configuration.statuses.max_media_attachments == 20
    assert client.verify_minimum_version("4.0.0", cached=True)
    me = client.account_verify_credentials()
    assert (me.username, me.display_name, str(me.id)) == ("viewer", "Vi", str(viewer.pk))

    home = client.timeline_home(limit=2)
    assert [str(status.id) for status in home] == [str(posts[2].pk), str(posts[1].pk)]
    older = client.fetch_next(home)
    assert older is not None
    assert [str(status.id) for status in older] == [str(posts[0].pk)]
    assert len(older[0].media_attachments) == 2
    assert older[0].media_attachments[0].type == "image"

    public = client.timeline_public(local=True)
    assert [str(status.id) for status in public] == [str(post.pk) for post in reversed(posts)]
    tagged = client.timeline_hashtag("sunset", limit=40)
    assert [status.tags[0].name for status in tagged] == ["sunset"] * 3

    status = client.status(posts[0].pk)
    assert status.replies_count == 1
    assert status.account.acct == "ana"
    context = client.status_context(posts[0].pk)
    assert [str(reply.id) for reply in context.descendants] == [str(comment.pk)]
    assert str(context.descendants[0].in_reply_to_id) == str(posts[0].pk)
