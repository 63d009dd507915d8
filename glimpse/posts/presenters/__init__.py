"""The presenters of posts, their items, places and hashtags, comments and collections.

Each is a typed record built from cached cards (or a hydrated row) and the viewer's fresh
state, with one function that maps it to the API's JSON; templates read the records.
"""

from glimpse.posts.presenters.comments import (
    CommentJson,
    CommentPageJson,
    CommentView,
    CommentViewer,
    comment_json,
    comment_page_json,
    comment_view_of,
)
from glimpse.posts.presenters.hashtags import HashtagJson, hashtag_json
from glimpse.posts.presenters.places import PlaceJson, PlaceView, place_json, place_view
from glimpse.posts.presenters.posts import (
    CollectionJson,
    CollectionPageJson,
    PeopleTagView,
    PlacePageJson,
    PostItemView,
    PostJson,
    PostMediaJson,
    PostPageJson,
    PostState,
    PostView,
    PostViewer,
    TagPageJson,
    collection_json,
    post_json,
    post_media_json,
    post_page_json,
    post_state_of,
    post_view,
    post_view_of,
    post_views,
    post_views_of,
    posts_json,
)

__all__ = [
    "CollectionJson",
    "CollectionPageJson",
    "CommentJson",
    "CommentPageJson",
    "CommentView",
    "CommentViewer",
    "HashtagJson",
    "PeopleTagView",
    "PlaceJson",
    "PlacePageJson",
    "PlaceView",
    "PostItemView",
    "PostJson",
    "PostMediaJson",
    "PostPageJson",
    "PostState",
    "PostView",
    "PostViewer",
    "TagPageJson",
    "collection_json",
    "comment_json",
    "comment_page_json",
    "comment_view_of",
    "hashtag_json",
    "place_json",
    "place_view",
    "post_json",
    "post_media_json",
    "post_page_json",
    "post_state_of",
    "post_view",
    "post_view_of",
    "post_views",
    "post_views_of",
    "posts_json",
]
