"""Accounts: realistic names, join times, popularity and the final account rows."""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from glimpse.accounts.models import User
from glimpse.accounts.validators import username_problems
from glimpse.core.ids import SHARD_COUNT
from glimpse.demo.dataset.clock import IdClock
from glimpse.demo.dataset.config import PASSWORD, Scale
from glimpse.demo.dataset.sink import Batches

FIRST = (
    "ana", "aiko", "amir", "anya", "ben", "bruno", "carla", "chen", "chloe", "dario", "dev",
    "elena", "emi", "emma", "farah", "felix", "gabriel", "hana", "hugo", "ines", "ivan", "jade",
    "jonas", "julia", "kai", "kemal", "lara", "leo", "lina", "lucas", "maya", "mila", "nadia",
    "nina", "noah", "olga", "omar", "paula", "pedro", "priya", "rafael", "rosa", "sam", "sara",
    "sofia", "tariq", "theo", "uma", "victor", "wen", "yara", "yusuf", "zoe",
)  # fmt: skip
LAST = (
    "lima", "okafor", "martin", "sato", "patel", "silva", "novak", "kowalski", "rossi", "muller",
    "dubois", "garcia", "nguyen", "kim", "haddad", "costa", "berg", "larsen", "santos", "moreau",
    "jensen", "ito", "tanaka", "khan", "ali", "reyes", "cruz", "fischer", "weber", "schmidt",
    "lopez", "perez", "fernandes", "pereira", "alves", "andersen", "nielsen", "olsen", "hansen",
    "park", "lee", "wang",
)  # fmt: skip
TOPICS = (
    "Street photography",
    "Coffee and mountains",
    "Film cameras",
    "Night cities",
    "Pastry and light",
    "Trails and lakes",
    "Architecture",
    "Vintage bikes",
    "Ocean swims",
    "Plants everywhere",
    "Food, mostly",
    "Travel notes",
)
PLACES = ("Lisbon", "Tokyo", "Lagos", "Berlin", "Austin", "Seoul", "Porto", "Oslo", "Lima")


@dataclass
class People:
    """The planned accounts, as compact columns indexed by account number."""

    ids: array[int]
    shards: array[int]
    joined_s: array[int]  # second of sign-up
    joined_ms: array[int]  # the same, to the millisecond of the account's id
    private: bytearray
    popularity: list[float]  # follow weight by account number
    followers: array[int] = field(default_factory=lambda: array("I"))
    following: array[int] = field(default_factory=lambda: array("I"))
    posts: array[int] = field(default_factory=lambda: array("I"))
    names: list[tuple[str, str, str]] = field(default_factory=list)  # username, display, bio


def people_plan(scale: Scale, clock: IdClock, rng: random.Random) -> People:
    """Choose every account's name, shard, join time, privacy and popularity."""
    n = scale.accounts
    span = clock.end_s - clock.start_s
    # Most accounts join in the first half of the window, so most have time to post.
    joined = sorted(clock.start_s + int(span * 0.5 * rng.random() ** 2) for _ in range(n))
    shards = array("I", (rng.randrange(SHARD_COUNT) for _ in range(n)))
    ids, joined_ms = array("q"), array("q")
    for second, shard in zip(joined, shards, strict=True):
        user_id, ms = clock.make(second, shard)
        ids.append(user_id)
        joined_ms.append(ms)
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    popularity = [1.0 / rank**scale.popularity_exponent for rank in ranks]
    # The most followed accounts are public, like the brands and stars they stand for.
    private = bytearray(
        1 if rank > 50 and rng.random() < scale.private_share else 0 for rank in ranks
    )
    people = People(
        ids=ids,
        shards=shards,
        joined_s=array("q", joined),
        joined_ms=joined_ms,
        private=private,
        popularity=popularity,
        followers=array("I", bytes(4 * n)),
        following=array("I", bytes(4 * n)),
        posts=array("I", bytes(4 * n)),
    )
    people.names = _names(n, rng)
    return people


def people_write(people: People, batches: Batches, fmt: Callable[[int], str]) -> None:
    """Queue every account row with its final counters."""
    fields = (
        "id", "password", "is_superuser", "username", "email", "display_name", "bio", "website",
        "is_private", "avatar_version", "follower_count", "following_count", "post_count",
        "is_active", "is_staff", "date_joined", "domain", "remote_url", "avatar_source",
    )  # fmt: skip
    password = make_password(PASSWORD)  # one hash for all: hashing 100k times takes hours
    for i, user_id in enumerate(people.ids):
        username, display, bio = people.names[i]
        batches.add(
            User,
            fields,
            (
                user_id,
                password,
                False,
                username,
                f"{username}@example.com",
                display,
                bio,
                "",
                bool(people.private[i]),
                "",
                people.followers[i],
                people.following[i],
                people.posts[i],
                True,
                False,
                fmt(people.joined_ms[i]),
                "",  # domain: every account is this server's
                "",
                "",
            ),
        )


def _names(n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """Return ``n`` unique valid usernames with display names and bios."""
    taken: set[str] = set()
    names: list[tuple[str, str, str]] = []
    while len(names) < n:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        style = rng.randrange(5)
        if style == 0:
            username = f"{first}.{last}"
        elif style == 1:
            username = f"{first}_{last}"
        elif style == 2:
            username = f"{first}{last}{rng.randrange(100)}"
        elif style == 3:
            username = f"{first}.{rng.randrange(10_000)}"
        else:
            username = f"{last}_{first[0]}{rng.randrange(1000)}"
        if username in taken or username_problems(username):
            continue
        taken.add(username)
        display = f"{first.title()} {last.title()}"
        bio = f"{rng.choice(TOPICS)} in {rng.choice(PLACES)}." if rng.random() < 0.7 else ""
        names.append((username, display, bio))
    return names
