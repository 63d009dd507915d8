"""``/api/v1/timelines``: the home feed, the public timeline and a hashtag's, as statuses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from glimpse.core.errors import NotFound
from glimpse.feeds import selectors as feed_selectors
from glimpse.insights.services import impressions_record
from glimpse.mastodon.auth import TokenAuth, request_account, request_viewer
from glimpse.mastodon.pagination import PageQuery, page_response
from glimpse.mastodon.shown import feed_statuses_json, statuses_json, statuses_of_ids
from glimpse.posts import selectors as post_selectors
from glimpse.posts.presenters import post_views_of

router = Router(tags=["timelines"])


@router.get("/timelines/home", auth=TokenAuth("read:statuses"))
def home(request: HttpRequest, page: Query[PageQuery]) -> HttpResponse:
    """Return the viewer's home feed: posts and reposts of followed accounts, and its own."""
    viewer = request_account(request)
    above = page.min_id if page.min_id is not None else page.since_id
    if above is not None and page.max_id is None:
        items = feed_selectors.feed_page_above(
            viewer=viewer, above=above, limit=page.size, closest=page.min_id is not None
        ).items
    else:
        items = feed_selectors.feed_page(viewer=viewer, max_id=page.max_id, limit=page.size).items
        # Both bounds at once: the page below max_id, cut at the lower one.
        items = [item for item in items if above is None or item.entry_id > above]
    # Counted for the authors' insights as Glimpse's own feed counts them.
    impressions_record(viewer=viewer, post_ids=[item.post_id for item in items], source="feed")
    statuses = feed_statuses_json(viewer, items)
    return page_response(request, statuses, [item.entry_id for item in items])


@router.get("/timelines/public", auth=TokenAuth("read:statuses", optional=True))
def public(request: HttpRequest, page: Query[PageQuery], remote: bool = False) -> HttpResponse:
    """Return the newest posts of public accounts. Every account is local (``local`` and
    ``only_media`` change nothing: every post has media); ``remote`` has none yet."""
    if remote:
        return page_response(request, [], [])
    viewer = request_viewer(request)
    ids = post_selectors.public_post_ids(viewer=viewer, **page.window())
    statuses = statuses_of_ids(viewer, ids.items)
    return page_response(request, statuses, ids.items)


@router.get("/timelines/tag/{hashtag}", auth=TokenAuth("read:statuses", optional=True))
def tag(request: HttpRequest, hashtag: str, page: Query[PageQuery]) -> HttpResponse:
    """Return the newest posts with a hashtag; a name no caption could make has none."""
    viewer = request_viewer(request)
    try:
        found = post_selectors.hashtag_get(viewer=viewer, name=hashtag)
    except NotFound:
        return page_response(request, [], [])
    posts = post_selectors.hashtag_recent_posts(viewer=viewer, hashtag=found, **page.window())
    statuses = statuses_json(viewer, post_views_of(posts.items))
    return page_response(request, statuses, [post.pk for post in posts.items])
