"""Demo accounts with generated profile pictures, for a first look at a fresh install."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from PIL import Image, ImageDraw

from glimpse.accounts import services
from glimpse.accounts.models import User

DEMO_PASSWORD = "glimpse-demo-password"  # noqa: S105 - published in the README on purpose
# The demo account that seed_demo makes a moderator (the role lives in moderation, above).
DEMO_MODERATOR = "sam.moderator"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    bio: str
    website: str
    colours: tuple[tuple[int, int, int], tuple[int, int, int]]
    is_private: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("ana.lima", "Ana Lima", "Street photography in Lisbon. Film and light.",
                "https://example.com/ana", ((255, 94, 98), (255, 195, 113))),
    DemoAccount("ben_okafor", "Ben Okafor", "Mountains, trails, and a lot of coffee.",
                "", ((54, 209, 220), (91, 134, 229))),
    DemoAccount("chloe.martin", "Chloé Martin", "Pastry chef. Everything I bake, I shoot.",
                "https://example.com/chloe", ((247, 151, 30), (255, 210, 0))),
    DemoAccount("dev.patel", "Dev Patel", "Architecture and the lines in between.",
                "", ((67, 206, 162), (24, 90, 157)), is_private=True),
    DemoAccount("emi_sato", "Emi Sato", "Night cities. Neon. Rain.",
                "", ((142, 45, 226), (74, 0, 224))),
    DemoAccount(DEMO_MODERATOR, "Sam (moderator)", "I look after the reports on this Glimpse.",
                "", ((96, 108, 136), (63, 76, 107))),
)  # fmt: skip


def demo_seed(*, report: Callable[[str], None]) -> int:
    """Create the demo accounts that do not exist yet; return how many were created."""
    created = 0
    for index, demo in enumerate(DEMO_ACCOUNTS, start=1):
        if User.objects.filter(username=demo.username).exists():
            report(f"[{index}/{len(DEMO_ACCOUNTS)}] {demo.username}: already there")
            continue
        with transaction.atomic():
            _demo_account_create(demo, seed=index)
        created += 1
        report(f"[{index}/{len(DEMO_ACCOUNTS)}] {demo.username}: created")
    return created


def _demo_account_create(demo: DemoAccount, *, seed: int) -> None:
    user = services.account_create(
        username=demo.username, email=f"{demo.username}@example.com", password=DEMO_PASSWORD
    )
    services.profile_update(
        user=user,
        display_name=demo.display_name,
        bio=demo.bio,
        website=demo.website,
        is_private=demo.is_private,
    )
    picture = demo_picture(demo.colours, seed=seed)
    services.avatar_set(user=user, upload=picture, size_bytes=len(picture.getvalue()))


def demo_picture(
    colours: tuple[tuple[int, int, int], tuple[int, int, int]], *, seed: int
) -> io.BytesIO:
    """Draw a 640-pixel gradient with soft circles as a stand-in profile photo (JPEG)."""
    size = 640
    start, end = colours
    # Rotate a larger gradient and keep its centre, so no corner is left unfilled.
    big = Image.linear_gradient("L").resize((size * 3 // 2, size * 3 // 2))
    margin = size // 4
    gradient = big.rotate(45 * seed).crop((margin, margin, margin + size, margin + size))
    image = Image.composite(Image.new("RGB", (size, size), end),
                            Image.new("RGB", (size, size), start), gradient)  # fmt: skip
    draw = ImageDraw.Draw(image, "RGBA")
    for ring in range(6):
        angle = seed * 1.3 + ring
        x = size / 2 + math.cos(angle) * size * 0.28
        y = size / 2 + math.sin(angle) * size * 0.28
        radius = size * (0.08 + 0.03 * ring)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                     fill=(255, 255, 255, 40 + 10 * ring))  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    buffer.seek(0)
    return buffer
