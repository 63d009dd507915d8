"""Every read of posts, comments, likes, saves, collections, hashtags and places.

Each selector takes the viewer and goes through the visibility policy of graph/: what the
viewer may not see is left out of lists and raises NotFound when asked for by id.
"""

from glimpse.posts.selectors.comments import (
    comment_get,
    comment_list,
    comments_hydrate,
    comments_latest,
)
from glimpse.posts.selectors.discovery import (
    by_visible_count,
    hashtag_get,
    hashtag_recent_posts,
    hashtag_top_posts,
    hashtags_counted,
    place_get,
    place_recent_posts,
    place_search,
    place_top_posts,
    places_counted,
)
from glimpse.posts.selectors.engagement import (
    collection_get,
    collection_list,
    collection_posts,
    liker_named,
    post_collection_ids,
    post_liker_named,
    post_likers,
    saved_posts,
)
from glimpse.posts.selectors.posts import (
    account_post_ids,
    account_posts,
    account_reels,
    archived_posts,
    post_edits,
    post_get,
    post_is_public,
    post_permalink,
    posts_hydrate,
    posts_live_count,
    posts_visible,
)
from glimpse.posts.selectors.timelines import (
    account_post_ids_between,
    comment_thread,
    own_likes,
    own_saves,
    post_likes,
    post_reposters,
    public_post_ids,
)

__all__ = [
    "account_post_ids",
    "account_post_ids_between",
    "account_posts",
    "account_reels",
    "archived_posts",
    "by_visible_count",
    "collection_get",
    "collection_list",
    "collection_posts",
    "comment_get",
    "comment_list",
    "comment_thread",
    "comments_hydrate",
    "comments_latest",
    "hashtag_get",
    "hashtag_recent_posts",
    "hashtag_top_posts",
    "hashtags_counted",
    "liker_named",
    "own_likes",
    "own_saves",
    "place_get",
    "place_recent_posts",
    "place_search",
    "place_top_posts",
    "places_counted",
    "post_collection_ids",
    "post_edits",
    "post_get",
    "post_is_public",
    "post_liker_named",
    "post_likers",
    "post_likes",
    "post_permalink",
    "post_reposters",
    "posts_hydrate",
    "posts_live_count",
    "posts_visible",
    "public_post_ids",
    "saved_posts",
]
