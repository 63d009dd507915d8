"""Search reuses the posts fixtures: real media through the real pipeline, and follows."""

from tests.posts.conftest import client_for, media_for, publish

__all__ = ["client_for", "media_for", "publish"]
