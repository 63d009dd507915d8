"""Hidden content: the policy's own table, written by ``content_hide`` and ``content_unhide``.

Hidden posts, comments and stories are seen by their author alone, and answer everyone else
like missing ones; showing them again restores exactly what each viewer saw before.
"""

from __future__ import annotations

import pytest

from glimpse.core.errors import NotFound
from glimpse.graph.models import HiddenContent
from glimpse.graph.services import content_hide, content_unhide
from glimpse.posts import selectors as posts
from glimpse.posts import services as post_services
from glimpse.stories import selectors as stories
from tests.posts.conftest import media_for, publish
from tests.stories.conftest import post_story

__all__ = ["media_for", "post_story", "publish"]

pytestmark = pytest.mark.django_db


def rows() -> list[tuple[str, int]]:
    return sorted(HiddenContent.objects.values_list("kind", "target_id"))


def test_a_hidden_post_is_seen_by_its_author_alone_until_shown_again(make_user, publish) -> None:
    author, other = make_user("author"), make_user("other")
    post = publish(author)
    content_hide(kind="post", target_id=post.pk)
    for viewer in (other, None):
        with pytest.raises(NotFound):
            posts.post_get(viewer=viewer, post_id=post.pk)
    assert posts.post_get(viewer=author, post_id=post.pk).pk == post.pk
    content_unhide(kind="post", target_id=post.pk)
    assert posts.post_get(viewer=other, post_id=post.pk).pk == post.pk
    assert posts.post_get(viewer=None, post_id=post.pk).pk == post.pk
    assert rows() == []


def test_a_hidden_comment_is_seen_by_its_author_alone(make_user, publish) -> None:
    author, commenter, other = make_user("author"), make_user("commenter"), make_user("other")
    post = publish(author)
    comment = post_services.comment_create(author=commenter, post_id=post.pk, text="hello")
    content_hide(kind="comment", target_id=comment.pk)
    for viewer in (author, other, None):  # the post's author is not the comment's
        with pytest.raises(NotFound):
            posts.comment_get(viewer=viewer, comment_id=comment.pk)
    assert posts.comment_get(viewer=commenter, comment_id=comment.pk).pk == comment.pk
    assert posts.post_get(viewer=other, post_id=post.pk).pk == post.pk  # the post stays
    content_unhide(kind="comment", target_id=comment.pk)
    assert posts.comment_get(viewer=other, comment_id=comment.pk).pk == comment.pk


def test_a_hidden_story_is_seen_by_its_author_alone(make_user, post_story) -> None:
    author, other = make_user("author"), make_user("other")
    story = post_story(author)
    content_hide(kind="story", target_id=story.pk)
    with pytest.raises(NotFound):
        stories.story_get(viewer=other, story_id=story.pk)
    assert stories.story_get(viewer=author, story_id=story.pk).pk == story.pk
    content_unhide(kind="story", target_id=story.pk)
    assert stories.story_get(viewer=other, story_id=story.pk).pk == story.pk


def test_hiding_is_per_kind_and_twice_is_fine(make_user, publish) -> None:
    author, other = make_user("author"), make_user("other")
    post = publish(author)
    content_hide(kind="post", target_id=post.pk)
    content_hide(kind="post", target_id=post.pk)
    content_hide(kind="comment", target_id=post.pk)  # the same number, another kind
    assert rows() == [("comment", post.pk), ("post", post.pk)]
    content_unhide(kind="comment", target_id=post.pk)
    content_unhide(kind="comment", target_id=post.pk)  # not hidden: nothing to do
    assert rows() == [("post", post.pk)]
    with pytest.raises(NotFound):
        posts.post_get(viewer=other, post_id=post.pk)


def test_only_posts_comments_and_stories_can_be_hidden(make_user) -> None:
    account = make_user("account")
    with pytest.raises(ValueError, match="cannot be hidden"):
        content_hide(kind="account", target_id=account.pk)
    assert rows() == []
