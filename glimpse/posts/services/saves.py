"""Saved posts and the named collections they are sorted into (private to their owner)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import Conflict, InvalidInput, NotFound
from glimpse.posts.models import Collection, CollectionItem, Post, Save
from glimpse.posts.services.common import count_add, insert_once, lock_rows, visible_post
from glimpse.posts.text import clean_text

MISSING_COLLECTION = "No collection with this id."


def save_create(*, user: User, post_id: int, collection_id: int | None = None) -> Post:
    """Save a post the user may see, and add it to one of their collections if given."""
    with transaction.atomic():
        collection = _own_collection(user, collection_id) if collection_id is not None else None
        post = visible_post(user, post_id, lock=True)
        if insert_once(Save(post=post, user=user)):
            Post.objects.filter(pk=post.pk).update(save_count=F("save_count") + 1)
        if collection is not None and insert_once(CollectionItem(collection=collection, post=post)):
            Collection.objects.filter(pk=collection.pk).update(updated_at=timezone.now())
    post.viewer_saved = True
    return post


def save_delete(*, user: User, post_id: int, collection_id: int | None = None) -> Post:
    """Take a post out of one collection, or, with no collection, unsave it everywhere."""
    with transaction.atomic():
        post = visible_post(user, post_id, lock=True)
        if collection_id is not None:
            collection = _own_collection(user, collection_id)
            CollectionItem.objects.filter(collection=collection, post=post).delete()
            post.viewer_saved = Save.objects.filter(post=post, user=user).exists()
            return post
        CollectionItem.objects.filter(collection__owner=user, post=post).delete()
        deleted, _ = Save.objects.filter(post=post, user=user).delete()
        if deleted:
            count_add(Post.objects.filter(pk=post.pk), "save_count", -1)
    post.viewer_saved = False
    return post


def collection_create(*, owner: User, name: str) -> Collection:
    """Create a named collection; names are unique per owner, whatever the case."""
    name = _checked_name(name)
    with transaction.atomic():
        _refuse_taken(owner, name)
        return Collection.objects.create(owner=owner, name=name)


def collection_create_with_post(*, owner: User, name: str, post_id: int) -> Collection:
    """Create a named collection and save a post the owner may see into it: both or neither."""
    with transaction.atomic():
        visible_post(owner, post_id)  # a post the owner may not see gets no collection made
        collection = collection_create(owner=owner, name=name)
        save_create(user=owner, post_id=post_id, collection_id=collection.pk)
    return collection


def collection_update(*, owner: User, collection_id: int, name: str) -> Collection:
    """Rename one of the owner's collections."""
    name = _checked_name(name)
    with transaction.atomic():
        collection = _own_collection(owner, collection_id)
        if name.casefold() != collection.name.casefold():
            _refuse_taken(owner, name)
        collection.name, collection.updated_at = name, timezone.now()
        collection.save(update_fields=["name", "updated_at"])
    return collection


def collection_delete(*, owner: User, collection_id: int) -> None:
    """Delete one of the owner's collections; the posts in it stay saved."""
    deleted, _ = Collection.objects.filter(pk=collection_id, owner=owner).delete()
    if not deleted:
        raise NotFound(MISSING_COLLECTION)


def _own_collection(owner: User, collection_id: int) -> Collection:
    collection = Collection.objects.filter(pk=collection_id, owner=owner).first()
    if collection is None:
        raise NotFound(MISSING_COLLECTION)
    return collection


def _checked_name(name: str) -> str:
    name = clean_text(name)
    most = settings.GLIMPSE_COLLECTION_NAME_MAX
    if not name:
        raise InvalidInput(fields={"name": ["Give the collection a name."]})
    if len(name) > most:
        raise InvalidInput(fields={"name": [f"A name has at most {most} characters."]})
    return name


def _refuse_taken(owner: User, name: str) -> None:
    # Lock the owner: two collections of the same name cannot be created at once.
    lock_rows(User.objects.filter(pk=owner.pk))
    folded = name.casefold()  # in Python: SQLite's own case folding is ASCII-only
    names = Collection.objects.filter(owner=owner).values_list("name", flat=True)
    if any(existing.casefold() == folded for existing in names):
        raise Conflict("You already have a collection with this name.", code="taken")
