"""Every write to posts, reels, drafts and scheduled posts, comments, likes, saves,
collections, reposts and places.

Services take keyword arguments with the acting account explicit, check everything before
writing, write in one transaction, and raise the errors of glimpse.core.errors.
"""

from glimpse.posts.services.accounts import account_posts_delete
from glimpse.posts.services.comments import (
    comment_create,
    comment_delete,
    comment_pin,
    comment_remove_by_moderator,
    comment_unpin,
    comment_update,
)
from glimpse.posts.services.drafts import (
    draft_create,
    draft_delete,
    draft_publish,
    draft_update,
    drafts_publish_due,
)
from glimpse.posts.services.edits import post_update
from glimpse.posts.services.likes import (
    comment_like_create,
    comment_like_delete,
    like_create,
    like_delete,
)
from glimpse.posts.services.places import place_get_or_create
from glimpse.posts.services.posts import (
    post_archive,
    post_create,
    post_delete,
    post_pin,
    post_remove_by_moderator,
    post_unarchive,
    post_unpin,
)
from glimpse.posts.services.reels import reel_view_record
from glimpse.posts.services.reposts import repost_create, repost_delete
from glimpse.posts.services.saves import (
    collection_create,
    collection_create_with_post,
    collection_delete,
    collection_update,
    save_create,
    save_delete,
)
from glimpse.posts.services.specs import UNSET, ItemSpec, PeopleTagSpec, PlaceSpec, Unset

__all__ = [
    "UNSET",
    "ItemSpec",
    "PeopleTagSpec",
    "PlaceSpec",
    "Unset",
    "account_posts_delete",
    "collection_create",
    "collection_create_with_post",
    "collection_delete",
    "collection_update",
    "comment_create",
    "comment_delete",
    "comment_like_create",
    "comment_like_delete",
    "comment_pin",
    "comment_remove_by_moderator",
    "comment_unpin",
    "comment_update",
    "draft_create",
    "draft_delete",
    "draft_publish",
    "draft_update",
    "drafts_publish_due",
    "like_create",
    "like_delete",
    "place_get_or_create",
    "post_archive",
    "post_create",
    "post_delete",
    "post_pin",
    "post_remove_by_moderator",
    "post_unarchive",
    "post_unpin",
    "post_update",
    "reel_view_record",
    "repost_create",
    "repost_delete",
    "save_create",
    "save_delete",
]
