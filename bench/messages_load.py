"""The client side of bench/messages.py: open a websocket per account, send messages through
the API at a steady rate, and time each one until every other member's socket has it.

``load`` runs on any server given its base URL and a plan from ``messages_steps.prepare``;
the benchmark runs it against a server process of its own, and a test runs it tiny.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

IN_FLIGHT = 8  # sends waiting for their answer at once, at most
DRAIN_SECONDS = 5.0  # how long the sockets may take after the last send


@dataclass
class Sent:
    """One message on its way: who sends it, who should get it, and when each did."""

    sender: int
    receivers: list[int]
    group: bool
    started: float = 0.0
    answered: float = 0.0
    arrived: dict[int, float] = field(default_factory=dict)


async def load(
    base: str,
    plan: dict[str, Any],
    *,
    sockets: int,
    rate: float,
    seconds: float,
    sockets_base: str | None = None,
    server_cpu: Callable[[], float] = lambda: 0.0,
    drain_seconds: float = DRAIN_SECONDS,
) -> dict[str, Any]:
    """Open ``sockets`` websockets (the plan's first accounts; on ``sockets_base`` if the
    websockets have a server of their own), send ``rate`` messages a second for ``seconds``
    to their conversations in turn through ``base``, and return the delays and counts (and
    the servers' CPU time while sending, given how to read it)."""
    tokens = plan["tokens"][:sockets]
    chats = [c for c in plan["conversations"] if max(c["members"]) < sockets]
    opened = time.perf_counter()
    connections = []
    for start in range(0, len(tokens), 100):  # in batches: the server accepts a burst at a time
        batch = tokens[start : start + 100]
        connections += await asyncio.gather(
            *(connect(sockets_base or base, token) for token in batch)
        )
    open_seconds = time.perf_counter() - opened
    sent: list[Sent] = []
    readers = [
        asyncio.create_task(_read(connection, index, sent))
        for index, connection in enumerate(connections)
    ]
    gate = asyncio.Semaphore(IN_FLIGHT)
    count = max(1, round(rate * seconds))
    began, cpu_before = time.perf_counter(), server_cpu()
    tasks = []
    for n in range(count):
        chat = chats[n % len(chats)]
        members = chat["members"]
        sender = members[(n // len(chats)) % len(members)]
        message = Sent(sender, [m for m in members if m != sender], len(members) > 2)
        sent.append(message)
        await asyncio.sleep(max(0.0, began + n / rate - time.perf_counter()))
        tasks.append(
            asyncio.create_task(_send(base, plan["tokens"][sender], chat["id"], n, message, gate))
        )
    await asyncio.gather(*tasks)
    sending_seconds, cpu_seconds = time.perf_counter() - began, server_cpu() - cpu_before
    deadline = time.monotonic() + drain_seconds
    while time.monotonic() < deadline and any(len(m.arrived) < len(m.receivers) for m in sent):
        await asyncio.sleep(0.05)
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*(c.close() for c in connections), return_exceptions=True)
    return figures(
        sent,
        open_seconds=open_seconds,
        sending_seconds=sending_seconds,
        sockets=len(connections),
        server_cpu_ms_per_message=cpu_seconds * 1000 / count,
    )


def figures(sent: list[Sent], **extra: Any) -> dict[str, Any]:
    """Return the delays from send to each receiving socket (a delivery that never came counts
    as infinitely late), overall, to one-to-ones and to groups, and the send request's own."""

    def delays(only: Callable[[Sent], bool]) -> list[float]:
        return sorted(
            (m.arrived[r] - m.started) * 1000 if r in m.arrived else float("inf")
            for m in sent
            if only(m)
            for r in m.receivers
        )

    every = delays(lambda m: True)
    requests = sorted((m.answered - m.started) * 1000 for m in sent)
    return {
        **extra,
        "messages": len(sent),
        "deliveries": len(every),
        "missing": sum(d == float("inf") for d in every),
        "p50_ms": percentile(every, 0.50),
        "p95_ms": percentile(every, 0.95),
        "p99_ms": percentile(every, 0.99),
        "max_ms": every[-1] if every else float("inf"),
        "direct_p99_ms": percentile(delays(lambda m: not m.group), 0.99),
        "group_p99_ms": percentile(delays(lambda m: m.group), 0.99),
        "request_p50_ms": percentile(requests, 0.50),
        "request_p99_ms": percentile(requests, 0.99),
    }


def percentile(values: list[float], share: float) -> float:
    """Return the value at ``share`` of sorted values (nearest rank)."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


async def connect(base: str, token: str) -> Any:
    """Open an authenticated websocket and wait for its ready message."""
    import websockets

    parts = urlsplit(base)
    connection = await websockets.connect(
        f"ws://{parts.netloc}/ws/",
        subprotocols=["bearer", token],  # type: ignore[list-item]
        open_timeout=60,
        max_queue=None,
    )
    ready = json.loads(await connection.recv())
    assert ready["kind"] == "ready", ready
    return connection


def getter(base: str, path: str, token: str | None = None, *, times: int) -> Callable[[], None]:
    """Return a function making ``times`` GET requests of ``path`` on one kept-alive
    connection (as the token's account), checking each answers 200."""
    parts = urlsplit(base)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)

    def get() -> None:
        for _ in range(times):
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            body = answer.read()
            assert answer.status == 200, (path, answer.status, body[:200])

    return get


async def _send(
    base: str, token: str, chat_id: str, n: int, message: Sent, gate: asyncio.Semaphore
) -> None:
    async with gate:
        await asyncio.to_thread(_post, base, token, chat_id, n, message)


def _post(base: str, token: str, chat_id: str, n: int, message: Sent) -> None:
    """Send message ``n`` through the API, noting when the request started and was answered."""
    body = json.dumps({"text": f"bench {n}"}).encode()
    request = urllib.request.Request(  # noqa: S310 - the benchmark's own server on 127.0.0.1
        f"{base}/api/glimpse/v1/conversations/{chat_id}/messages",
        method="POST",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    message.started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        answer.read()
    message.answered = time.perf_counter()


async def _read(connection: Any, index: int, sent: list[Sent]) -> None:
    """Note when each new message reaches this account's socket."""
    async for raw in connection:
        at = time.perf_counter()
        event = json.loads(raw)
        if event.get("kind") != "message.new":
            continue
        text = event["data"]["message"]["text"]
        if text.startswith("bench "):
            message = sent[int(text.removeprefix("bench "))]
            if index != message.sender:
                message.arrived.setdefault(index, at)
