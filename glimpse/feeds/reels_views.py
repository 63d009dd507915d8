"""The Reels page: a vertical, full-screen feed of reels that play as they scroll into view."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from glimpse.accounts.presenters import Avatar
from glimpse.accounts.viewers import request_viewer
from glimpse.core.web import is_htmx
from glimpse.feeds.presenters import reel_views
from glimpse.feeds.reels import reels_page
from glimpse.insights.services import impressions_record
from glimpse.posts.presenters import PostView
from glimpse.posts.views import display
from glimpse.posts.views.common import call, cursor

# Each reel fills the screen: a few per request, the next ones asked for before the end.
REELS_PAGE_SIZE = 5


@dataclass(frozen=True)
class ReelSlide:
    """A reel as the page draws it: the post, its video and poster, its author's picture."""

    post: PostView
    video: display.Slide
    avatar: Avatar

    @property
    def is_tall(self) -> bool:
        """Tell whether the video is tall enough (2:3 or taller) to fill a phone's screen."""
        return self.video.height * 2 >= self.video.width * 3


def reel_slides(posts: list[PostView]) -> list[ReelSlide]:
    """Return what the page draws of each reel (no query)."""
    return [
        ReelSlide(post, display.slide_of(post.items[0]), post.author.avatar(64))
        for post in posts
        if post.items
    ]


@require_safe
@login_required
def feed(request: HttpRequest) -> HttpResponse:
    """Show the viewer's Reels feed; the next reels come in place as the last ones near."""
    viewer = request_viewer(request)
    max_id = cursor(request)
    page = call(reels_page, viewer=viewer, max_id=max_id, limit=REELS_PAGE_SIZE)
    impressions_record(viewer=viewer, post_ids=[i.post_id for i in page.items], source="reels")
    context = {"reels": reel_slides(reel_views(page.items)), "next_max_id": page.next_max_id}
    if max_id is not None and is_htmx(request):
        return render(request, "feeds/reels/more.html", context)
    return render(request, "feeds/reels/feed.html", context)
