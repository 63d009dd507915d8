"""The home feed's API shapes."""

from __future__ import annotations

from ninja import Field, Schema

from glimpse.posts.schemas import AccountCompactOut, PostOut


class FeedItemOut(PostOut):
    feed_id: str = Field(description="The entry's id: the post's, or the repost's. Cursors use it.")
    reposted_by: AccountCompactOut | None = Field(
        description="Who reposted it, when the post is in the feed by a repost."
    )


class FeedOut(Schema):
    items: list[FeedItemOut]
    next_max_id: str | None


class NewCountOut(Schema):
    count: int = Field(description="Feed entries newer than `since_id` (capped at 100).")
