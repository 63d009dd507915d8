"""Reading who liked a post, and the viewer's saved posts and collections."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from glimpse.accounts.models import User
from glimpse.core.errors import NotFound
from glimpse.core.pagination import Page, paginate
from glimpse.graph.models import Follow
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.models import Collection, CollectionItem, Like, Post, Save
from glimpse.posts.selectors.posts import MISSING_POST, posts_hydrate, posts_visible
from glimpse.posts.visibility import posts_visible_to

MISSING_COLLECTION = "No collection with this id."


def post_likers(
    *, viewer: User | None, post_id: int, max_id: int | None = None, limit: int | None = None
) -> Page[User]:
    """Return the accounts that liked a post, the latest first (cursor: the like's id)."""
    if not posts_visible(viewer=viewer).filter(pk=post_id).exists():
        raise NotFound(MISSING_POST)
    likes = Like.objects.filter(accounts_visible_to(viewer, account="user"), post_id=post_id)
    page = paginate(likes.select_related("user"), max_id=max_id, limit=limit)
    return Page(items=[like.user for like in page.items], next_max_id=page.next_max_id)


# How many of a post's newest likes are searched for a liker the viewer follows.
LIKES_SEARCHED = 50


def liker_named(viewer: User, *, post: str = "pk") -> Coalesce:
    """Return, for a query of posts, the id of the liker a post's likes line names ("Liked by
    rita and 12 others"): the latest liker the viewer follows among the post's newest
    ``LIKES_SEARCHED`` likes, else the latest liker it may see; never the viewer itself
    (None when there is none).

    ``post`` names the outer query's post id. Likers go through the policy as on the
    likers' list (``accounts_visible_to``). The search for a followed liker is bounded: a
    post with thousands of likes would otherwise have each of them checked against the
    viewer's follows, on every feed card, for every viewer.
    """
    likes = (
        Like.objects.filter(accounts_visible_to(viewer, account="user"), post=OuterRef(post))
        .exclude(user=viewer)
        .order_by("-pk")
        .values("user_id")
    )
    newest = Like.objects.filter(post=OuterRef(OuterRef(post))).order_by("-pk").values("pk")
    followed = likes.filter(
        pk__in=newest[:LIKES_SEARCHED],
        user__in=Follow.objects.filter(follower=viewer).values("followee"),
    )
    return Coalesce(Subquery(followed[:1]), Subquery(likes[:1]))


def post_liker_named(*, viewer: User, post_id: int) -> int | None:
    """Return the id of the liker a post's likes line names for the viewer (one query)."""
    return (
        Post.objects.filter(pk=post_id)
        .annotate(liker=liker_named(viewer))
        .values_list("liker", flat=True)
        .first()
    )


def saved_posts(*, viewer: User, max_id: int | None = None, limit: int | None = None) -> Page[Post]:
    """Return every post the viewer saved and may still see, latest saved first."""
    saves = Save.objects.filter(posts_visible_to(viewer, post="post"), user=viewer)
    page = paginate(saves.select_related("post__author", "post__place"), max_id=max_id, limit=limit)
    posts = posts_hydrate(viewer=viewer, posts=[save.post for save in page.items])
    return Page(items=posts, next_max_id=page.next_max_id)


def collection_list(
    *, viewer: User, max_id: int | None = None, limit: int | None = None
) -> Page[Collection]:
    """Return the viewer's collections, newest first, with ``post_count`` and ``cover``.

    Both count only posts the viewer may still see; ``cover`` is the latest such post.
    """
    page = paginate(
        _counted(viewer, Collection.objects.filter(owner=viewer)), max_id=max_id, limit=limit
    )
    _covers(viewer, page.items)
    return page


def collections_named(*, viewer: User, limit: int) -> list[Collection]:
    """Return the viewer's newest collections by name alone (a post's "Save to" menu): no
    counts and no covers, which cost the post page a quarter of its time."""
    return list(Collection.objects.filter(owner=viewer).order_by("-pk").only("pk", "name")[:limit])


def collection_get(*, viewer: User, collection_id: int) -> Collection:
    """Return one of the viewer's collections, or raise NotFound (others' included)."""
    mine = Collection.objects.filter(pk=collection_id, owner=viewer)
    collection = _counted(viewer, mine).first()
    if collection is None:
        raise NotFound(MISSING_COLLECTION)
    _covers(viewer, [collection])
    return collection


def collection_posts(
    *, viewer: User, collection: Collection, max_id: int | None = None, limit: int | None = None
) -> Page[Post]:
    """Return the posts of a collection the viewer may see, latest added first."""
    entries = CollectionItem.objects.filter(
        posts_visible_to(viewer, post="post"), collection=collection
    ).select_related("post__author", "post__place")
    page = paginate(entries, max_id=max_id, limit=limit)
    posts = posts_hydrate(viewer=viewer, posts=[entry.post for entry in page.items])
    return Page(items=posts, next_max_id=page.next_max_id)


def _counted(viewer: User, collections: QuerySet[Collection]) -> QuerySet[Collection]:
    """Annotate collections with their visible post count and their latest visible post."""
    visible = CollectionItem.objects.filter(
        posts_visible_to(viewer, post="post"), collection=OuterRef("pk")
    )
    return collections.annotate(
        visible_posts=Count("items", filter=Q(items__post__in=Post.objects.visible_to(viewer))),
        latest_post=Subquery(visible.order_by("-pk").values("post_id")[:1]),
    )


def _covers(viewer: User, collections: Sequence[Collection]) -> None:
    """Set the post count and cover post of each collection, hydrated, in one go."""
    for collection in collections:
        collection.post_count = getattr(collection, "visible_posts", 0)
        collection.cover_id = getattr(collection, "latest_post", None)
    ids = [c.cover_id for c in collections if c.cover_id]
    covers = (
        {
            post.pk: post
            for post in posts_hydrate(viewer=viewer, posts=Post.objects.filter(pk__in=ids))
        }
        if ids
        else {}
    )
    for collection in collections:
        collection.cover = covers.get(collection.cover_id) if collection.cover_id else None


def post_collection_ids(*, viewer: User, post_id: int) -> list[int]:
    """Return the ids of the viewer's collections holding a post."""
    return list(
        CollectionItem.objects.filter(collection__owner=viewer, post_id=post_id)
        .order_by("collection_id")
        .values_list("collection_id", flat=True)
    )
