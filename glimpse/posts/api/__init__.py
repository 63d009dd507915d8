"""Posts in the API: one router, mounted at the API's root, assembling every area's paths."""

from ninja import Router

from glimpse.posts.api import collections, comments, discovery, drafts, engagement, posts

router = Router()
# Drafts first: `posts/scheduled` must come before `posts/{post_id}`.
for module in (drafts, posts, engagement, comments, collections, discovery):
    router.add_router("", module.router)

__all__ = ["router"]
