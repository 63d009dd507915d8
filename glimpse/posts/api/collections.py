"""Collections of saved posts in the API (private to their owner)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, request_user
from glimpse.core.api import errors
from glimpse.core.pagination import PageJson, cursor_json
from glimpse.posts import selectors, services
from glimpse.posts.presenters import (
    CollectionJson,
    CollectionPageJson,
    PostPageJson,
    collection_json,
    post_page_json,
)
from glimpse.posts.schemas import (
    CollectionIn,
    CollectionListOut,
    CollectionOut,
    CollectionPageOut,
    Id,
    PostListOut,
)

router = Router(tags=["collections"], auth=api_auth)


@router.get("/collections", response={200: CollectionListOut, **errors(401, 422)})
def collection_list(
    request: HttpRequest, max_id: Id | None = None, limit: int | None = None
) -> PageJson[CollectionJson]:
    """The viewer's collections, newest first."""
    page = selectors.collection_list(viewer=request_user(request), max_id=max_id, limit=limit)
    return {
        "items": [collection_json(c) for c in page.items],
        "next_max_id": cursor_json(page.next_max_id),
    }


@router.post("/collections", response={201: CollectionOut, **errors(401, 403, 409, 422)})
def collection_create(request: HttpRequest, payload: CollectionIn) -> Status[CollectionJson]:
    """Create a named collection."""
    viewer = request_user(request)
    collection = services.collection_create(owner=viewer, name=payload.name)
    found = selectors.collection_get(viewer=viewer, collection_id=collection.pk)
    return Status(201, collection_json(found))


@router.get("/collections/saved", response={200: PostListOut, **errors(401, 422)})
def saved(request: HttpRequest, max_id: Id | None = None, limit: int | None = None) -> PostPageJson:
    """Every post the viewer saved, latest saved first."""
    page = selectors.saved_posts(viewer=request_user(request), max_id=max_id, limit=limit)
    return post_page_json(page)


@router.get(
    "/collections/{collection_id}", response={200: CollectionPageOut, **errors(401, 404, 422)}
)
def collection_get(
    request: HttpRequest, collection_id: Id, max_id: Id | None = None, limit: int | None = None
) -> CollectionPageJson:
    """A collection and a page of its posts, latest added first."""
    viewer = request_user(request)
    collection = selectors.collection_get(viewer=viewer, collection_id=collection_id)
    page = selectors.collection_posts(
        viewer=viewer, collection=collection, max_id=max_id, limit=limit
    )
    return {"collection": collection_json(collection), **post_page_json(page)}


@router.patch(
    "/collections/{collection_id}", response={200: CollectionOut, **errors(401, 403, 404, 409, 422)}
)
def collection_update(
    request: HttpRequest, collection_id: Id, payload: CollectionIn
) -> CollectionJson:
    """Rename a collection."""
    viewer = request_user(request)
    services.collection_update(owner=viewer, collection_id=collection_id, name=payload.name)
    return collection_json(selectors.collection_get(viewer=viewer, collection_id=collection_id))


@router.delete("/collections/{collection_id}", response={204: None, **errors(401, 403, 404, 422)})
def collection_delete(request: HttpRequest, collection_id: Id) -> Status[None]:
    """Delete a collection; its posts stay saved."""
    services.collection_delete(owner=request_user(request), collection_id=collection_id)
    return Status(204, None)
