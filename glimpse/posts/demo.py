"""Demo posts for a fresh install: real-looking scenes, follows, likes and comments."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

from glimpse.accounts.models import User
from glimpse.graph import services as graph
from glimpse.graph.visibility import content_visible
from glimpse.media import services as media
from glimpse.posts import services as posts
from glimpse.posts.models import Post

Colour = tuple[int, int, int]
SIZE = (1440, 1080)


@dataclass(frozen=True)
class DemoPost:
    author: str
    scenes: tuple[str, ...]
    caption: str
    place: str = ""
    address: str = ""
    lat: float | None = None
    lng: float | None = None


DEMO_POSTS = (
    DemoPost("ana.lima", ("sunset",), "Golden hour over the Tagus #lisbon #goldenhour #film",
             "Miradouro da Senhora do Monte", "Lisbon, Portugal", 38.7194, -9.1325),
    DemoPost("ben_okafor", ("mountains", "lake"), "Two days, one ridge, zero regrets #hiking #alps",
             "Lake Oeschinen", "Kandersteg, Switzerland", 46.4986, 7.7279),
    DemoPost("chloe.martin", ("dunes",), "Sand, wind and a very warm croissant #travel"),
    DemoPost("emi_sato", ("city",), "Rain makes the neon brighter #tokyo #nightphotography",
             "Shinjuku", "Tokyo, Japan", 35.6938, 139.7034),
    DemoPost("ana.lima", ("ocean", "sunset"), "Atlantic blues, @ben_okafor #goldenhour"),
    DemoPost("dev.patel", ("city", "forest"), "Lines in the city and woods #architecture"),
    DemoPost("ben_okafor", ("forest",), "Morning fog in the pines #hiking #forest"),
    DemoPost("emi_sato", ("ocean",), "Low tide, high spirits #travel"),
)  # fmt: skip

FOLLOWS = {
    "ana.lima": ("ben_okafor", "chloe.martin", "emi_sato", "dev.patel"),
    "ben_okafor": ("ana.lima", "emi_sato"),
    "chloe.martin": ("ana.lima", "ben_okafor", "dev.patel"),
    "emi_sato": ("ana.lima", "chloe.martin"),
    "dev.patel": ("ana.lima",),
}
COMMENTS = (
    "This light!",
    "Adding this to my list 😍",
    "Where was this taken?",
    "Stunning colours.",
    "I miss this place.",
)


def demo_posts_seed(*, report: Callable[[str], None]) -> int:
    """Create follows, posts with photos, likes and comments once; return posts created."""
    if Post.objects.exists():
        report("posts: already there")
        return 0
    people = {u.username: u for u in User.objects.filter(username__in=FOLLOWS)}
    for name, followees in FOLLOWS.items():
        for followee in followees:
            state = graph.follow_create(follower=people[name], followee=people[followee])
            if state == "requested":  # a private account approves its demo friends
                request = people[followee].follow_requests_received.get(requester=people[name])
                graph.follow_request_approve(owner=people[followee], request_id=request.pk)
    rng = random.Random(7)  # noqa: S311 - demo content, not security
    made = []
    for index, demo in enumerate(DEMO_POSTS, start=1):
        made.append(_post(people[demo.author], demo, seed=index))
        report(f"[{index}/{len(DEMO_POSTS)}] post by {demo.author}")
    for post in made:
        audience = [
            u for u in people.values() if u.pk != post.author_id and content_visible(u, post.author)
        ]
        for fan in rng.sample(audience, k=rng.randint(1, len(audience))):
            posts.like_create(user=fan, post_id=post.pk)
        commenter = rng.choice(audience)
        posts.comment_create(author=commenter, post_id=post.pk, text=rng.choice(COMMENTS))
    return len(made)


def _post(author: User, demo: DemoPost, *, seed: int) -> Post:
    ids = []
    for offset, scene in enumerate(demo.scenes):
        data = scene_jpeg(scene, seed=seed * 10 + offset)
        item = media.media_upload(owner=author, upload=io.BytesIO(data), size_bytes=len(data))
        ids.append(item.pk)
    # Each upload committed on its own, so its processing already ran in-process.
    place = None
    if demo.place:
        place = posts.PlaceSpec(name=demo.place, address=demo.address, lat=demo.lat, lng=demo.lng)
    return posts.post_create(author=author, media_ids=ids, caption=demo.caption, place=place)


def scene_jpeg(scene: str, *, seed: int) -> bytes:
    """Paint a photo-like landscape (sky, light, terrain, grain) and return it as a JPEG."""
    rng = random.Random(seed)  # noqa: S311 - demo content, not security
    painter = SCENES[scene]
    image = painter(rng)
    grain = Image.effect_noise(SIZE, 18).convert("RGB")
    image = Image.blend(image, grain, 0.06).filter(ImageFilter.GaussianBlur(0.6))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def _sky(top: Colour, bottom: Colour) -> Image.Image:
    mask = Image.linear_gradient("L").resize(SIZE)
    return Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), mask)


def _ridge(draw: ImageDraw.ImageDraw, rng: random.Random, base: float, height: float,
           colour: Colour, step: int = 12) -> None:  # fmt: skip
    """Draw a hill line: a few random sine waves summed, filled down to the bottom."""
    width, full = SIZE
    waves = [
        (rng.uniform(0.5, 4.0), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(4)
    ]
    total = sum(a for _, _, a in waves)
    points = [(0.0, float(full))]
    for x in range(0, width + step, step):
        wave = sum(a * math.sin(f * math.tau * x / width + p) for f, p, a in waves) / total
        jitter = rng.uniform(-0.004, 0.004)
        points.append((float(x), full * (base - height * (0.5 + 0.5 * wave) + jitter)))
    points.append((float(width), float(full)))
    draw.polygon(points, fill=colour)


def _sunset(rng: random.Random) -> Image.Image:
    image = _sky((48, 36, 92), (255, 156, 84))
    draw = ImageDraw.Draw(image, "RGBA")
    sun_x, sun_y = SIZE[0] * rng.uniform(0.3, 0.7), SIZE[1] * 0.58
    for radius, alpha in ((260, 30), (160, 60), (90, 255)):
        draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius),
                     fill=(255, 214, 140, alpha))  # fmt: skip
    _ridge(draw, rng, 0.75, 0.12, (92, 46, 70))
    _ridge(draw, rng, 0.88, 0.08, (40, 22, 40))
    return image


def _mountains(rng: random.Random) -> Image.Image:
    image = _sky((96, 150, 214), (214, 232, 246))
    draw = ImageDraw.Draw(image, "RGBA")
    _ridge(draw, rng, 0.55, 0.35, (150, 168, 196))
    _ridge(draw, rng, 0.68, 0.25, (92, 112, 140))
    _ridge(draw, rng, 0.85, 0.12, (46, 70, 60))
    return image


def _lake(rng: random.Random) -> Image.Image:
    image = _mountains(rng)
    line = SIZE[1] * 2 // 3
    water = image.crop((0, line - SIZE[1] // 3, SIZE[0], line))
    water = water.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    water = Image.blend(water, Image.new("RGB", water.size, (40, 120, 130)), 0.45)
    image.paste(water, (0, SIZE[1] - water.height))
    return image


def _ocean(rng: random.Random) -> Image.Image:
    image = _sky((120, 180, 230), (236, 242, 246))
    draw = ImageDraw.Draw(image, "RGBA")
    horizon = int(SIZE[1] * rng.uniform(0.5, 0.6))
    draw.rectangle((0, horizon, SIZE[0], SIZE[1]), fill=(28, 92, 140))
    for _ in range(160):
        x, y = rng.uniform(0, SIZE[0]), rng.uniform(horizon, SIZE[1])
        draw.line((x, y, x + rng.uniform(20, 90), y), fill=(255, 255, 255, 70), width=2)
    return image


def _dunes(rng: random.Random) -> Image.Image:
    image = _sky((120, 170, 220), (250, 220, 180))
    draw = ImageDraw.Draw(image, "RGBA")
    _ridge(draw, rng, 0.62, 0.12, (222, 160, 96))
    _ridge(draw, rng, 0.76, 0.1, (196, 128, 70))
    _ridge(draw, rng, 0.9, 0.08, (160, 96, 52))
    return image


def _city(rng: random.Random) -> Image.Image:
    image = _sky((12, 14, 40), (70, 30, 90))
    draw = ImageDraw.Draw(image, "RGBA")
    x = 0
    while x < SIZE[0]:
        width, height = rng.randint(60, 160), rng.randint(200, 700)
        top = SIZE[1] - height
        draw.rectangle((x, top, x + width, SIZE[1]), fill=(20, 20, 34))
        for wy in range(top + 12, SIZE[1], 26):
            for wx in range(x + 8, x + width - 10, 18):
                if rng.random() < 0.45:
                    lit = rng.choice([(255, 214, 120), (120, 220, 255), (255, 90, 180)])
                    draw.rectangle((wx, wy, wx + 8, wy + 12), fill=(*lit, 220))
        x += width + rng.randint(4, 20)
    return image


def _forest(rng: random.Random) -> Image.Image:
    image = _sky((176, 196, 190), (226, 232, 222))
    draw = ImageDraw.Draw(image, "RGBA")
    for layer, colour in enumerate(((120, 146, 130, 160), (70, 100, 84, 200), (30, 56, 44, 255))):
        for _ in range(28):
            x = rng.uniform(-50, SIZE[0])
            base = SIZE[1] * (0.7 + layer * 0.1)
            height = rng.uniform(250, 520) * (0.7 + layer * 0.2)
            draw.polygon([(x, base), (x + 60, base - height), (x + 120, base)], fill=colour)
        draw.rectangle((0, SIZE[1] * (0.7 + layer * 0.1), SIZE[0], SIZE[1]), fill=colour)
    return image


SCENES: dict[str, Callable[[random.Random], Image.Image]] = {
    "sunset": _sunset,
    "mountains": _mountains,
    "lake": _lake,
    "ocean": _ocean,
    "dunes": _dunes,
    "city": _city,
    "forest": _forest,
}
