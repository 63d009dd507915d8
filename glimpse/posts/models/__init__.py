"""The models of posts, one module per aggregate."""

from glimpse.posts.models.comment import Comment, CommentLike, CommentMention
from glimpse.posts.models.draft import Draft, DraftItem
from glimpse.posts.models.engagement import Collection, CollectionItem, Like, Repost, Save
from glimpse.posts.models.place import Place
from glimpse.posts.models.post import PeopleTag, Post, PostEdit, PostItem, ReelView
from glimpse.posts.models.tags import Hashtag, PostHashtag, PostMention

__all__ = [
    "Collection",
    "CollectionItem",
    "Comment",
    "CommentLike",
    "CommentMention",
    "Draft",
    "DraftItem",
    "Hashtag",
    "Like",
    "PeopleTag",
    "Place",
    "Post",
    "PostEdit",
    "PostHashtag",
    "PostItem",
    "PostMention",
    "ReelView",
    "Repost",
    "Save",
]
