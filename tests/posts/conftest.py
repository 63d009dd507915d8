"""Fixtures for posts: real media through the real upload pipeline, posts, follows, snapshots."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Sum
from PIL import Image

from glimpse.accounts.models import User
from glimpse.accounts.services import token_create
from glimpse.graph import services as graph
from glimpse.graph.models import FollowRequest
from glimpse.media.models import MediaItem
from glimpse.media.services import media_upload
from glimpse.media.tasks import media_process
from glimpse.posts import models as m
from glimpse.posts import services
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.media.conftest import run_commit_hooks
from tests.media.videos import make_video

__all__ = ["run_commit_hooks"]  # shared with the media tests

POST_MODELS = (
    m.Post,
    m.PostItem,
    m.PeopleTag,
    m.PostEdit,
    m.Hashtag,
    m.PostHashtag,
    m.PostMention,
    m.Place,
    m.Like,
    m.Save,
    m.Collection,
    m.CollectionItem,
    m.Repost,
    m.Comment,
    m.CommentLike,
    m.CommentMention,
    m.ReelView,
)


def small_jpeg(seed: int = 0, size: tuple[int, int] = (96, 64)) -> bytes:
    """Return a small real JPEG, different for each seed."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, 120))
    image.paste((250, 250, 250), (0, 0, size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture
def media_for(django_capture_on_commit_callbacks, tmp_path: Path) -> Callable[..., list[MediaItem]]:
    """Upload real files for an account and process them (``ready=False`` leaves them queued)."""
    counter = iter(range(1, 100_000))

    def make(
        owner: User, count: int = 1, *, ready: bool = True, video: bool = False, **shape: Any
    ) -> list:
        """``shape`` passes make_video's options (width, height, seconds, frame_times...)."""
        made = []
        for _ in range(count):
            seed = next(counter)
            if video:
                options = {"seconds": 0.5, "audio_codec": None, **shape}
                path = make_video(tmp_path / f"clip{seed}.mp4", **options)
                raw = path.read_bytes()
            else:
                raw = small_jpeg(seed)
            data, size = io.BytesIO(raw), len(raw)
            # The queued job is dropped and run here instead, so that it runs whatever broker
            # the settings name (it is idempotent: a transactional test may run it twice).
            with django_capture_on_commit_callbacks(execute=False):
                item = media_upload(owner=owner, upload=data, size_bytes=size, alt_text="upload")
            if ready:
                media_process.apply(args=(item.pk, item.version), throw=True)
            item.refresh_from_db()
            made.append(item)
        return made

    return make


@pytest.fixture
def publish(media_for) -> Callable[..., Post]:
    """Publish a post of ``count`` fresh photos by ``author``, with any post_create option."""

    def make(author: User, count: int = 1, **options: Any) -> Post:
        media = media_for(author, count)
        return services.post_create(author=author, media_ids=[x.pk for x in media], **options)

    return make


@pytest.fixture
def publish_reel(media_for) -> Callable[..., Post]:
    """Publish a Reel of one fresh portrait video (180x320, 9:16) by ``author``."""

    def make(author: User, **options: Any) -> Post:
        [video] = media_for(author, video=True, width=180, height=320)
        return services.post_create(author=author, media_ids=[video.pk], kind="reel", **options)

    return make


@pytest.fixture
def client_for(db: None) -> Callable[[User], ApiClient]:
    """Return an API client authenticated as an account."""

    def make(user: User) -> ApiClient:
        _, secret = token_create(user=user, name="tests")
        return ApiClient(secret)

    return make


def follow(follower: User, followee: User) -> None:
    """Make ``follower`` follow ``followee``, approving the request of a private account."""
    if graph.follow_create(follower=follower, followee=followee) == "requested":
        request = FollowRequest.objects.get(requester=follower, target=followee)
        graph.follow_request_approve(owner=followee, request_id=request.pk)


def snapshot() -> dict[str, Any]:
    """Return the row count of every posts table and the sum of every counter."""
    state: dict[str, Any] = {model.__name__: model.objects.count() for model in POST_MODELS}
    state["attached"] = MediaItem.objects.filter(attached_at__isnull=False).count()
    state["media"] = MediaItem.objects.count()
    for model, fields in (
        (m.Post, ("like_count", "comment_count", "save_count", "repost_count", "view_count")),
        (m.Comment, ("like_count", "reply_count")),
        (m.Hashtag, ("post_count",)),
        (m.Place, ("post_count",)),
        (User, ("post_count",)),
    ):
        for field in fields:
            state[f"{model.__name__}.{field}"] = model.objects.aggregate(n=Sum(field))["n"] or 0
    state["captions"] = sorted(Post.objects.values_list("caption", flat=True))
    state["edits"] = sorted(Post.objects.exclude(edited_at=None).values_list("pk", flat=True))
    return state
