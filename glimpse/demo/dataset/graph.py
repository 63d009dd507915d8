"""Follows drawn from a power law, and a few pending follow requests to private accounts."""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Callable
from itertools import accumulate

from glimpse.demo.dataset.clock import IdClock
from glimpse.demo.dataset.config import Scale
from glimpse.demo.dataset.people import People
from glimpse.demo.dataset.sink import Batches, Progress
from glimpse.graph.models import Follow, FollowRequest

FOLLOW_FIELDS = ("id", "follower", "followee", "created_at")
REQUEST_FIELDS = ("id", "requester", "target", "created_at")


def follows_write(
    *,
    scale: Scale,
    people: People,
    clock: IdClock,
    rng: random.Random,
    batches: Batches,
    fmt: Callable[[int], str],
    progress: Progress,
) -> list[array[int]]:
    """Make every follow, count them on both ends, and return each account's followers."""
    n = scale.accounts
    accounts = range(n)
    cum = list(accumulate(people.popularity))
    followers_of = [array("I") for _ in accounts]
    mu, sigma = math.log(scale.median_followees), scale.followees_sigma
    most = max(1, n // 3)
    for u in accounts:
        want = min(most, max(1, round(math.exp(rng.gauss(mu, sigma)))))
        chosen = _followees(u, want, n, cum, rng)
        joined_u = people.joined_s[u]
        shard = people.shards[u]
        follower_id = people.ids[u]
        for v in chosen:
            since = max(joined_u, people.joined_s[v])
            second = since + int((clock.end_s - since) * rng.random())
            follow_id, ms = clock.make(second, shard)
            batches.add(Follow, FOLLOW_FIELDS, (follow_id, follower_id, people.ids[v], fmt(ms)))
            followers_of[v].append(u)
            people.followers[v] += 1
        people.following[u] = len(chosen)
        progress.add()
    batches.flush()
    return followers_of


def follow_requests_write(
    *,
    scale: Scale,
    people: People,
    followers_of: list[array[int]],
    clock: IdClock,
    rng: random.Random,
    batches: Batches,
    fmt: Callable[[int], str],
) -> None:
    """Leave some requests to follow private accounts pending, from non-followers."""
    private = [i for i in range(scale.accounts) if people.private[i]]
    if not private:
        return
    made: set[tuple[int, int]] = set()
    tries = 0
    while len(made) < scale.follow_requests and tries < scale.follow_requests * 20:
        tries += 1
        requester, target = rng.randrange(scale.accounts), rng.choice(private)
        if requester == target or (requester, target) in made:
            continue
        if requester in set(followers_of[target]):
            continue
        made.add((requester, target))
        # Pending requests are recent: older ones would have been answered.
        second = clock.end_s - 1 - rng.randrange(7 * 86_400)
        second = max(second, people.joined_s[requester], people.joined_s[target])
        request_id, ms = clock.make(second, people.shards[requester])
        row = (request_id, people.ids[requester], people.ids[target], fmt(ms))
        batches.add(FollowRequest, REQUEST_FIELDS, row)
    batches.flush()


def _followees(u: int, want: int, n: int, cum: list[float], rng: random.Random) -> list[int]:
    """Draw ``want`` distinct accounts other than ``u``, the popular ones more often."""
    chosen: dict[int, None] = {}  # insertion-ordered, so a seed always gives the same rows
    population = range(n)
    for _ in range(50):
        for v in rng.choices(population, cum_weights=cum, k=2 * (want - len(chosen)) + 4):
            if v != u:
                chosen[v] = None
                if len(chosen) == want:
                    return list(chosen)
    while len(chosen) < want:  # the popular accounts are all taken: fill with anyone
        v = rng.randrange(n)
        if v != u:
            chosen[v] = None
    return list(chosen)
