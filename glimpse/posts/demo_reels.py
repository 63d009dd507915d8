"""Demo Reels: short vertical videos made at seed time with PyAV, with plays and likes.

Each is a 9:16 clip (360x640, a few seconds) panning across one of the demo scenes, with
drifting light and a soft chord, so that the Reels page has real videos to play.
"""

from __future__ import annotations

import math
import random
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image, ImageDraw

from glimpse.accounts.models import User
from glimpse.graph.visibility import content_visible
from glimpse.media import services as media
from glimpse.posts import services as posts
from glimpse.posts.demo import FOLLOWS, SCENES
from glimpse.posts.models import Post

WIDTH, HEIGHT = 360, 640  # 9:16
FPS = 24
RATE = 48_000


@dataclass(frozen=True)
class DemoReel:
    author: str
    scene: str
    caption: str
    seconds: float
    chord: tuple[float, ...]  # Hz


DEMO_REELS = (
    DemoReel("emi_sato", "city", "Shinjuku after the rain, in one take #tokyo #reels", 4.0,
             (220.0, 277.2, 329.6)),
    DemoReel("ben_okafor", "forest", "Five minutes of pine-scented silence, give or take #hiking",
             3.5, (196.0, 246.9, 293.7)),
    DemoReel("chloe.martin", "dunes", "Wind sculpting the dunes while the croissants cool #travel",
             3.0, (261.6, 329.6, 392.0)),
)  # fmt: skip


def demo_reels_seed(*, report: Callable[[str], None]) -> int:
    """Make the demo Reels once, with likes and plays by the demo accounts; return how many."""
    if Post.objects.filter(kind=Post.Kind.REEL).exists():
        report("reels: already there")
        return 0
    people = {u.username: u for u in User.objects.filter(username__in=FOLLOWS)}
    rng = random.Random(11)  # noqa: S311 - demo content, not security
    made = 0
    for index, demo in enumerate(DEMO_REELS, start=1):
        author = people.get(demo.author)
        if author is None:
            continue
        reel = _reel(author, demo, seed=index)
        audience = [u for u in people.values() if u.pk != author.pk and content_visible(u, author)]
        for viewer in audience:
            posts.reel_view_record(viewer=viewer, post_id=reel.pk)
        for fan in rng.sample(audience, k=rng.randint(1, len(audience))):
            posts.like_create(user=fan, post_id=reel.pk)
        made += 1
        report(f"[{index}/{len(DEMO_REELS)}] reel by {demo.author}")
    return made


def _reel(author: User, demo: DemoReel, *, seed: int) -> Post:
    with tempfile.TemporaryDirectory() as work:
        path = demo_reel_video(Path(work) / "reel.mp4", demo, seed=seed)
        with path.open("rb") as upload:
            item = media.media_upload(owner=author, upload=upload, size_bytes=path.stat().st_size)
    # The upload committed on its own, so its processing already ran in-process.
    return posts.post_create(author=author, media_ids=[item.pk], caption=demo.caption, kind="reel")


def demo_reel_video(path: Path, demo: DemoReel, *, seed: int) -> Path:
    """Write a 9:16 H.264/AAC clip panning across a demo scene, with a soft chord."""
    rng = random.Random(seed)  # noqa: S311 - demo content, not security
    scene = SCENES[demo.scene](rng)
    # A portrait window of the landscape scene, moved from left to right over the clip.
    window = (scene.height * WIDTH) // HEIGHT
    frames = round(demo.seconds * FPS)
    sparks = [(rng.random(), rng.random(), rng.uniform(0.02, 0.08)) for _ in range(40)]
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.options = {"preset": "veryfast", "crf": "26"}
        audio = out.add_stream("aac", rate=RATE)
        audio.layout = "stereo"
        for n in range(frames):
            t = n / max(frames - 1, 1)
            left = round((scene.width - window) * t)
            picture = scene.crop((left, 0, left + window, scene.height)).resize((WIDTH, HEIGHT))
            _sparkle(picture, sparks, n / FPS)
            frame = av.VideoFrame.from_image(picture)
            frame.pts = n
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        _chord(out, audio, demo.chord, demo.seconds)
    return path


def _sparkle(picture: Image.Image, sparks: list[tuple[float, float, float]], at: float) -> None:
    """Draw drifting specks of light (rain in the city, pollen in the woods, sand in the wind)."""
    draw = ImageDraw.Draw(picture, "RGBA")
    for x, y, speed in sparks:
        px = (x + at * speed) % 1.0 * WIDTH
        py = (y + at * speed * 3) % 1.0 * HEIGHT
        draw.line((px, py, px + 2, py + 10), fill=(255, 255, 255, 110), width=2)


def _chord(out: av.container.OutputContainer, audio: av.AudioStream, notes: tuple[float, ...],
           seconds: float) -> None:  # fmt: skip
    """Encode a soft chord that fades in and out."""
    chunk = audio.codec_context.frame_size or 1024
    total = round(seconds * RATE)
    for start in range(0, total, chunk):
        frame = av.AudioFrame(format="s16", layout="stereo", samples=chunk)
        data = bytearray()
        for i in range(start, start + chunk):
            fade = min(1.0, i / (RATE * 0.4), max(0.0, (total - i) / (RATE * 0.6)))
            value = sum(math.sin(math.tau * f * i / RATE) for f in notes) / len(notes)
            sample = int(5000 * fade * value)
            data += struct.pack("<hh", sample, sample)
        frame.planes[0].update(bytes(data))
        frame.sample_rate, frame.pts = RATE, start
        out.mux(audio.encode(frame))
    out.mux(audio.encode(None))
