"""The JSON shapes of insights in the API."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from glimpse.posts.schemas import Id


class PostNumbersOut(Schema):
    impressions: int = Field(description="Times the post was shown (feed, grid, Explore, page).")
    reach: int = Field(description="Distinct accounts that saw it.")
    likes: int
    comments: int
    saves: int
    shares: int = Field(description="Links copied or sent, and reposts.")
    profile_visits: int = Field(description="Visits to your profile from this post.")
    follows: int = Field(description="Follows made within an hour of such a visit.")
    engagement_rate: float = Field(
        description="(likes + comments + saves + shares) / reach; 0 when reach is 0."
    )


class PostInsightsOut(PostNumbersOut):
    """One of the viewer's own posts: its numbers since it was published."""

    id: str
    created_at: str
    sources: dict[str, int] = Field(
        description="Impressions by source: feed, explore, hashtag, place, profile, post."
    )


class TopPostOut(PostNumbersOut):
    id: str
    permalink: str


class DayOut(Schema):
    day: date
    impressions: int
    reach: int = Field(description="Distinct accounts that saw any of your posts that day.")
    likes: int
    comments: int
    saves: int
    shares: int
    profile_visits: int
    follows: int
    followers_gained: int
    followers_lost: int
    likes_given: int = Field(description="Posts you liked that day.")
    comments_made: int = Field(description="Comments you wrote that day.")


class TotalsOut(Schema):
    impressions: int
    reach: int = Field(description="Distinct accounts over the whole window.")
    likes: int
    comments: int
    saves: int
    shares: int
    profile_visits: int
    follows: int
    followers_gained: int
    followers_lost: int
    likes_given: int
    comments_made: int


class HashtagOut(Schema):
    name: str
    posts: int = Field(description="Your posts of the window that used it.")
    engagement_rate: float = Field(description="Mean engagement rate of those posts.")


class AccountInsightsOut(Schema):
    """The viewer's own account over a window of UTC days ending today."""

    days: int
    first_day: date
    last_day: date
    follower_count: int
    totals: TotalsOut
    sources: dict[str, int]
    follower_hours: list[int] = Field(
        description="Impressions by your followers per UTC hour of the day (24 numbers)."
    )
    series: list[DayOut]
    top_posts: list[TopPostOut] = Field(
        description="Posts published in the window, best engagement rate first."
    )
    hashtags: list[HashtagOut] = Field(description="Hashtags of those posts, most used first.")


class PostRef(Schema):
    post_id: Id = Field(description="The post, by id (a string, like every id).")


class ShareOut(Schema):
    url: str = Field(description="The post's address, to copy or send.")
