"""The home feed's API shapes."""

from __future__ import annotations

from ninja import Field, Schema

from glimpse.posts.schemas import AccountCompactOut, PlaceOut, PostOut


class FeedItemOut(PostOut):
    feed_id: str = Field(description="The entry's id: the post's, or the repost's. Cursors use it.")
    reposted_by: AccountCompactOut | None = Field(
        description="Who reposted it, when the post is in the feed by a repost."
    )


class FeedOut(Schema):
    items: list[FeedItemOut]
    next_max_id: str | None = Field(description="The next chronological page's `max_id`.")
    next_cursor: str | None = Field(description="The next ranked page's `cursor`.")


class NewCountOut(Schema):
    count: int = Field(description="Feed entries newer than `since_id` (capped at 100).")


class ExploreOut(Schema):
    items: list[PostOut]
    session: str = Field(description="Pass it back as `session` for the next page.")
    has_more: bool


class TrendingTagOut(Schema):
    name: str
    post_count: int
    score: float = Field(description="Decayed engagement per hour of its recent posts.")


class TrendingTagsOut(Schema):
    items: list[TrendingTagOut]


class TrendingPlaceOut(PlaceOut):
    score: float = Field(description="Decayed engagement per hour of its recent posts.")


class TrendingPlacesOut(Schema):
    items: list[TrendingPlaceOut]


class SuggestedAccountOut(AccountCompactOut):
    mutual_count: int = Field(description="How many accounts the viewer follows follow it.")


class SuggestedAccountsOut(Schema):
    items: list[SuggestedAccountOut]


class ReelViewsOut(Schema):
    view_count: int = Field(description="The reel's plays: distinct accounts besides its author.")
