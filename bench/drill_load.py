"""The drills' load: virtual users browsing, liking, commenting, following and uploading.

Each virtual user is a thread with its own token and kept-alive connection, choosing its
next action by weight, with no pause between actions. Every answer is recorded (endpoint,
status, duration, when), and every write the server acknowledged is written down in a
ledger, so that the verification can check that none was lost.
"""

from __future__ import annotations

import io
import random
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import requests
from PIL import Image

TIMEOUT_SECONDS = 10
WEIGHTS = {
    "feed": 30,
    "post": 20,
    "profile": 8,
    "like": 15,
    "comment": 8,
    "follow": 8,
    "upload": 5,
    "publish": 6,
}


@dataclass(frozen=True)
class Answer:
    """One request as the client saw it (status 0: no answer within the timeout)."""

    endpoint: str
    status: int
    seconds: float
    at: float


@dataclass
class Ledger:
    """The writes the server acknowledged; a pair whose last write failed is unknown."""

    likes: dict[tuple[str, str], bool] = field(default_factory=dict)
    follows: dict[tuple[str, str], bool] = field(default_factory=dict)
    unknown_likes: set[tuple[str, str]] = field(default_factory=set)
    unknown_follows: set[tuple[str, str]] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the ledger as JSON-ready data for the verification step."""
        known_likes = {k: v for k, v in self.likes.items() if k not in self.unknown_likes}
        known_follows = {k: v for k, v in self.follows.items() if k not in self.unknown_follows}
        return {
            "likes": [[user, post, state] for (user, post), state in known_likes.items()],
            "follows": [[user, target, state] for (user, target), state in known_follows.items()],
            "comments": self.comments,
            "uploads": self.uploads,
            "posts": self.posts,
        }


class Load:
    """Run virtual users against a server until stopped; collect answers and the ledger."""

    def __init__(
        self, base: str, users: list[dict[str, str]], plan: dict[str, Any], ledger: Ledger
    ) -> None:
        self.base = base.rstrip("/") + "/api/glimpse/v1/"
        self.users = users
        self.post_ids: list[str] = plan["post_ids"]
        self.usernames: list[str] = plan["follow_targets"]
        self.answers: list[Answer] = []
        self.ledger = ledger
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.started = time.monotonic()
        self.image = _photo()
        self.threads = [
            threading.Thread(target=self._user, args=(user, random.Random(index)), daemon=True)
            for index, user in enumerate(users)
        ]

    def start(self) -> None:
        """Start every virtual user."""
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        """Stop the virtual users after their current request."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=TIMEOUT_SECONDS + 5)

    def now(self) -> float:
        """Return the seconds since the load started."""
        return time.monotonic() - self.started

    def _user(self, user: dict[str, str], rng: random.Random) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {user['token']}"
        session.headers["X-Forwarded-Proto"] = "https"
        pending: list[str] = []
        actions, weights = zip(*WEIGHTS.items(), strict=True)
        while not self.stopping.is_set():
            action = rng.choices(actions, weights)[0]
            getattr(self, f"_{action}")(session, user["username"], rng, pending)

    def _call(
        self, session: requests.Session, endpoint: str, method: str, path: str, **kwargs: Any
    ) -> requests.Response | None:
        started = time.monotonic()
        try:
            response = session.request(method, self.base + path, timeout=TIMEOUT_SECONDS, **kwargs)
        except requests.RequestException:
            response = None
        status = 0 if response is None else response.status_code
        answer = Answer(endpoint, status, time.monotonic() - started, started - self.started)
        self.answers.append(answer)  # list.append is atomic
        if response is None or status in (429, 503):
            time.sleep(0.2)  # a real client backs off
        return response

    def _feed(self, session: requests.Session, me: str, rng: random.Random, _: list[str]) -> None:
        self._call(session, "GET feed", "GET", "feed?limit=20")

    def _post(self, session: requests.Session, me: str, rng: random.Random, _: list[str]) -> None:
        self._call(session, "GET post", "GET", f"posts/{rng.choice(self.post_ids)}")

    def _profile(
        self, session: requests.Session, me: str, rng: random.Random, _: list[str]
    ) -> None:
        name = rng.choice(self.usernames)
        self._call(session, "GET profile", "GET", f"accounts/{name}/posts?limit=12")

    def _like(self, session: requests.Session, me: str, rng: random.Random, _: list[str]) -> None:
        post = rng.choice(self.post_ids[:200])  # a hot set, so likes and unlikes meet
        key = (me, post)
        liked = self.ledger.likes.get(key, False)
        method = "DELETE" if liked else "POST"
        response = self._call(session, f"{method} like", method, f"posts/{post}/like")
        self._settle(key, response, not liked, self.ledger.likes, self.ledger.unknown_likes)

    def _follow(self, session: requests.Session, me: str, rng: random.Random, _: list[str]) -> None:
        target = rng.choice(self.usernames)
        if target == me:
            return
        key = (me, target)
        following = self.ledger.follows.get(key, False)
        method = "DELETE" if following else "POST"
        response = self._call(session, f"{method} follow", method, f"accounts/{target}/follow")
        self._settle(key, response, not following, self.ledger.follows, self.ledger.unknown_follows)

    def _settle(
        self,
        key: tuple[str, str],
        response: requests.Response | None,
        wanted: bool,
        states: dict[tuple[str, str], bool],
        unknown: set[tuple[str, str]],
    ) -> None:
        if response is not None and response.status_code < 300:
            states[key] = wanted
            unknown.discard(key)
        elif response is None or response.status_code >= 500:
            unknown.add(key)  # it may or may not have happened

    def _comment(
        self, session: requests.Session, me: str, rng: random.Random, _: list[str]
    ) -> None:
        post = rng.choice(self.post_ids[:200])
        text = f"drill comment {rng.getrandbits(32):08x}"
        response = self._call(
            session, "POST comment", "POST", f"posts/{post}/comments", json={"text": text}
        )
        if response is not None and response.status_code == 201:
            self.ledger.comments.append(response.json()["id"])

    def _upload(
        self, session: requests.Session, me: str, rng: random.Random, pending: list[str]
    ) -> None:
        if len(pending) >= 3:
            return
        files = {"file": ("drill.jpg", self.image, "image/jpeg")}
        response = self._call(session, "POST media", "POST", "media", files=files)
        if response is not None and response.status_code == 202:
            media_id = response.json()["id"]
            self.ledger.uploads.append(media_id)
            pending.append(media_id)

    def _publish(
        self, session: requests.Session, me: str, rng: random.Random, pending: list[str]
    ) -> None:
        if not pending:
            return
        media = self._call(session, "GET media", "GET", f"media/{pending[0]}")
        if media is None or media.status_code != 200 or media.json()["status"] != "ready":
            return
        body = {"media_ids": [pending[0]], "caption": "#drill a photo from the load drill"}
        response = self._call(session, "POST post", "POST", "posts", json=body)
        if response is not None and response.status_code == 201:
            self.ledger.posts.append(response.json()["id"])
            pending.pop(0)


def summary(answers: list[Answer], start: float = 0.0, end: float = float("inf")) -> dict[str, Any]:
    """Return count, server errors, p50, p95 and p99 (ms) per endpoint for a time window."""
    by_endpoint: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        if start <= answer.at < end:
            by_endpoint[answer.endpoint].append(answer)
    table = {}
    for endpoint, rows in sorted(by_endpoint.items()):
        times = sorted(row.seconds * 1000 for row in rows)
        table[endpoint] = {
            "requests": len(rows),
            "server_errors": sum(row.status >= 500 for row in rows),
            "no_answer": sum(row.status == 0 for row in rows),
            "client_errors": sum(400 <= row.status < 500 for row in rows),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(_percentile(times, 0.95), 1),
            "p99_ms": round(_percentile(times, 0.99), 1),
        }
    return table


def failures_between(answers: list[Answer], start: float, end: float) -> dict[str, float]:
    """Describe the failed answers (5xx or none) that ended between ``start`` and ``end``:
    how many, of which kind, how long until the last one, how long each took to fail."""
    ended = [a for a in answers if start <= a.at + a.seconds < end]
    failed = [a for a in ended if a.status >= 500 or a.status == 0]
    at = start
    last = max((a.at + a.seconds for a in failed), default=at)
    return {
        "requests": len(ended),
        "failed": len(failed),
        "unavailable_503": sum(a.status == 503 for a in failed),
        "server_errors_500": sum(a.status == 500 for a in failed),
        "no_answer": sum(a.status == 0 for a in failed),
        "recovered_after_s": round(last - at, 1),
        "failure_p50_ms": round(statistics.median([a.seconds for a in failed] or [0]) * 1000, 1),
        "slowest_failure_ms": round(max((a.seconds for a in failed), default=0) * 1000, 1),
    }


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _photo() -> bytes:
    rng = random.Random(3)
    image = Image.new("RGB", (640, 480))
    image.putdata([(rng.randrange(256), x % 256, 128) for x in range(640 * 480)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
