"""Demo stories: tall 9:16 photos with stickers, a video, a wide photo shown letterboxed, a
Close Friends story, and older stories of ana.lima kept in her archive and a highlight.

Live stories last a day: seeding again after they expired posts a fresh set, and the
archive and its highlight are made once.
"""

from __future__ import annotations

import io
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from PIL import Image, ImageFilter

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.media import services as media
from glimpse.posts import selectors as posts_selectors
from glimpse.posts.demo import FOLLOWS, SCENES
from glimpse.posts.demo_reels import DEMO_REELS, demo_reel_video
from glimpse.stories import services as stories
from glimpse.stories.models import Highlight, Story

TALL = (1080, 1920)  # 9:16


@dataclass(frozen=True)
class DemoStory:
    author: str
    scene: str
    stickers: tuple[dict[str, Any], ...] = ()
    audience: str = "everyone"
    wide: bool = False  # a landscape photo, shown whole in the 9:16 frame
    video: bool = False
    place: str = ""  # the name of a demo place, for a place sticker
    place_at: tuple[float, float] = (0.5, 0.8)
    hours_ago: float = 0.0
    seen_by: tuple[str, ...] = field(default_factory=tuple)


def _text(x: float, y: float, words: str, style: str, color: str) -> dict[str, Any]:
    return {"kind": "text", "x": x, "y": y, "text": words, "style": style, "color": color}


DEMO_STORIES = (
    DemoStory("ben_okafor", "mountains", (
        _text(0.5, 0.2, "Summit day", "strong", "yellow"),
        {"kind": "mention", "x": 0.34, "y": 0.72, "username": "ana.lima"},
        {"kind": "hashtag", "x": 0.66, "y": 0.8, "tag": "hiking"},
    ), hours_ago=5, seen_by=("chloe.martin",)),
    DemoStory("ben_okafor", "lake", (
        _text(0.5, 0.5, "Only for you lot", "neon", "green"),
    ), audience="close_friends", hours_ago=2),
    DemoStory("emi_sato", "city", (
        _text(0.5, 0.16, "Shinjuku, 1 a.m.", "typewriter", "pink"),
    ), place="Shinjuku", place_at=(0.5, 0.86), hours_ago=3),
    DemoStory("emi_sato", "city", video=True, hours_ago=1),
    DemoStory("chloe.martin", "dunes", (
        _text(0.5, 0.24, "Croissant break", "classic", "white"),
        {"kind": "link", "x": 0.5, "y": 0.76, "url": "https://example.com/chloe",
         "text": "The recipe"},
    ), wide=True, hours_ago=7),
    DemoStory("dev.patel", "forest", (
        _text(0.5, 0.3, "Lines in the woods", "classic", "white"),
    ), hours_ago=9),
    DemoStory("ana.lima", "sunset", (
        _text(0.5, 0.18, "Golden hour", "neon", "orange"),
        {"kind": "mention", "x": 0.5, "y": 0.68, "username": "ben_okafor"},
    ), place="Miradouro da Senhora do Monte", place_at=(0.5, 0.8), hours_ago=0.5),
)  # fmt: skip

# ana.lima's older stories, past their day: in her archive, two of them in a highlight.
ARCHIVED = (
    DemoStory("ana.lima", "ocean", (
        _text(0.5, 0.2, "Atlantic blues", "strong", "blue"),
    ), hours_ago=24 * 12),
    DemoStory("ana.lima", "sunset", (
        {"kind": "hashtag", "x": 0.5, "y": 0.78, "tag": "lisbon"},
    ), hours_ago=24 * 9),
    DemoStory("ana.lima", "city", (), hours_ago=24 * 4),
)  # fmt: skip
HIGHLIGHT_TITLE = "Lisbon"
CLOSE_FRIENDS = {"ben_okafor": ("ana.lima",)}


def demo_stories_seed(*, report: Callable[[str], None]) -> int:
    """Post ana.lima's older stories once (her archive and a highlight), then the demo
    stories when none is live; return how many were posted."""
    people = {u.username: u for u in User.objects.filter(username__in=FOLLOWS)}
    if len(people) < len(FOLLOWS):
        report("stories: the demo accounts are missing")
        return 0
    made = 0
    ana = people["ana.lima"]
    if not Highlight.objects.filter(owner=ana).exists():
        old = [_story(people, demo, seed=100 + i) for i, demo in enumerate(ARCHIVED)]
        stories.stories_expire()
        stories.highlight_create(
            owner=ana,
            title=HIGHLIGHT_TITLE,
            story_ids=[old[0].pk, old[1].pk],
            cover_story_id=old[1].pk,
        )
        made += len(old)
        report(f"stories: {len(old)} in ana.lima's archive, highlight “{HIGHLIGHT_TITLE}”")
    if not Story.objects.filter(author__in=people.values(), expires_at__gt=timezone.now()).exists():
        for owner, friends in CLOSE_FRIENDS.items():
            for friend in friends:
                graph.close_friend_add(owner=people[owner], friend=people[friend])
        for index, demo in enumerate(DEMO_STORIES, start=1):
            _story(people, demo, seed=index)
            made += 1
            report(f"[{index}/{len(DEMO_STORIES)}] story by {demo.author}")
    else:
        report("stories: live ones already there")
    return made


def _story(people: dict[str, User], demo: DemoStory, *, seed: int) -> Story:
    author = people[demo.author]
    item = _upload(author, demo, seed=seed)
    stickers = list(demo.stickers)
    if demo.place:
        found = posts_selectors.place_search(viewer=author, q=demo.place, limit=1)
        if found:
            x, y = demo.place_at
            stickers.append({"kind": "place", "x": x, "y": y, "place_id": found[0].pk})
    story = stories.story_create(
        author=author, media_id=item.pk, audience=demo.audience, stickers=stickers
    )
    if demo.hours_ago:
        # Demo data only: the story is dated back as if it had been posted then.
        posted = timezone.now() - timedelta(hours=demo.hours_ago)
        lifetime = story.expires_at - story.created_at
        Story.objects.filter(pk=story.pk).update(created_at=posted, expires_at=posted + lifetime)
    for name in demo.seen_by:
        stories.story_mark_seen(viewer=people[name], story_id=story.pk)
    return story


def _upload(author: User, demo: DemoStory, *, seed: int) -> Any:
    if demo.video:
        reel = next(r for r in DEMO_REELS if r.scene == demo.scene)
        with tempfile.TemporaryDirectory() as work:
            path = demo_reel_video(Path(work) / "story.mp4", reel, seed=seed)
            with path.open("rb") as upload:
                size = path.stat().st_size
                return media.media_upload(
                    owner=author, upload=upload, size_bytes=size, shape="story"
                )
    data = _picture(demo.scene, seed=seed, wide=demo.wide)
    # The upload commits on its own, so its processing already ran in-process.
    return media.media_upload(
        owner=author, upload=io.BytesIO(data), size_bytes=len(data), shape="story"
    )


def _picture(scene: str, *, seed: int, wide: bool) -> bytes:
    """Paint a demo scene as a tall 9:16 photo (a window of it), or keep it landscape."""
    rng = random.Random(seed)  # noqa: S311 - demo content, not security
    image = SCENES[scene](rng)
    if not wide:
        width = image.height * TALL[0] // TALL[1]
        left = rng.randint(0, image.width - width)
        window = image.crop((left, 0, left + width, image.height))
        image = window.resize(TALL, Image.Resampling.LANCZOS)
    grain = Image.effect_noise(image.size, 18).convert("RGB")
    image = Image.blend(image, grain, 0.05).filter(ImageFilter.GaussianBlur(0.6))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=86)
    return buffer.getvalue()
