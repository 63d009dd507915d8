"""What the post routers answer after a write: the post as its writer now sees it."""

from __future__ import annotations

from glimpse.accounts.models import User
from glimpse.posts import selectors
from glimpse.posts.presenters import PostJson, post_json, post_view_of


def written_post_json(viewer: User, post_id: int) -> PostJson:
    """Return the JSON of a post the viewer just published, edited or acted on."""
    return post_json(post_view_of(selectors.post_get(viewer=viewer, post_id=post_id)))
