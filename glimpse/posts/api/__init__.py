"""Posts in the API: one router, mounted at the API's root, assembling every area's paths."""

from ninja import Router

from glimpse.posts.api import collections, comments, discovery, engagement, posts

router = Router()
for module in (posts, engagement, comments, collections, discovery):
    router.add_router("", module.router)

__all__ = ["router"]
