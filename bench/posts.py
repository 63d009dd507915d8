"""The profile grid's hot path: hydrate a page of 20 posts for a viewer.

Compared with the naive way a view would do it (touch each post's author, items, media and
the viewer's like and save one object at a time), measured in the same run.
"""

from __future__ import annotations

import io

from django.core.management import call_command

from bench.harness import Result, compare, report
from glimpse.accounts.models import User
from glimpse.accounts.services import account_create
from glimpse.media.services import media_upload
from glimpse.posts import selectors, services
from glimpse.posts.demo import scene_jpeg
from glimpse.posts.models import Like, Post, Save

PAGE = 20
AUTHOR, VIEWER = "bench.author", "bench.viewer"


def run() -> list[Result]:
    """Time the grid page against the naive per-object hydration."""
    call_command("migrate", verbosity=0)
    author, viewer = _dataset()
    results = [
        compare(
            f"grid page of {PAGE} posts (selectors.account_posts)",
            lambda: selectors.account_posts(viewer=viewer, username=AUTHOR, limit=PAGE),
            baseline_name="naive per-object",
            baseline=lambda: _naive_page(author, viewer),
            operations=1,
            budget_ratio=0.8,
        )
    ]
    report(results, suite="posts")
    return results


def _naive_page(author: User, viewer: User) -> list[dict[str, object]]:
    page = []
    for post in Post.objects.filter(author=author).order_by("-pk")[:PAGE]:
        items = [(i.media.renditions, i.alt_text) for i in post.items.order_by("position")]
        page.append(
            {
                "author": post.author.username,
                "items": items,
                "liked": Like.objects.filter(post=post, user=viewer).exists(),
                "saved": Save.objects.filter(post=post, user=viewer).exists(),
            }
        )
    return page


def _dataset() -> tuple[User, User]:
    """Create (once) an author with 40 two-photo posts, liked and saved by a viewer."""
    author = User.objects.filter(username=AUTHOR).first()
    viewer = User.objects.filter(username=VIEWER).first()
    if author and viewer and author.post_count >= 2 * PAGE:
        return author, viewer
    password = "bench-password-long-enough"  # noqa: S105 - a throwaway benchmark account
    author = author or account_create(username=AUTHOR, email="a@bench.invalid", password=password)
    viewer = viewer or account_create(username=VIEWER, email="v@bench.invalid", password=password)
    photo = scene_jpeg("sunset", seed=1)
    for n in range(2 * PAGE):
        ids = [
            media_upload(owner=author, upload=io.BytesIO(photo), size_bytes=len(photo)).pk
            for _ in range(2)
        ]
        post = services.post_create(author=author, media_ids=ids, caption=f"#bench post {n}")
        if n % 2:
            services.like_create(user=viewer, post_id=post.pk)
            services.save_create(user=viewer, post_id=post.pk)
    author.refresh_from_db()
    return author, viewer
