"""No request body larger than the largest upload is read (ASGI, before Django)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from caseroom.lib.bodylimit import BodyLimit


async def _echo_length(scope: Any, receive: Any, send: Any) -> None:
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            await send({"type": "http.response.start", "status": 499, "headers": []})
            await send({"type": "http.response.body", "body": b"disconnected"})
            return
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def call(headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    queue = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return queue.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "headers": headers}
    app = BodyLimit(_echo_length, max_bytes=100)
    # In a thread of its own: browser tests earlier in the run leave an event loop running
    # in the main thread, where asyncio.run refuses to start another.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


def test_a_body_within_the_limit_reaches_the_app() -> None:
    sent = call([(b"content-length", b"60")], [b"x" * 30, b"x" * 30])
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"60"


def test_a_declared_oversize_body_is_refused_unread() -> None:
    sent = call([(b"content-length", b"101")], [b"x" * 101])
    assert sent[0]["status"] == 413
    assert b"larger than" in sent[1]["body"]


def test_a_chunked_body_that_grows_too_large_is_cut_off() -> None:
    sent = call([], [b"x" * 60, b"x" * 60])
    assert sent[0]["status"] == 499


def test_a_nonsense_length_is_refused() -> None:
    assert call([(b"content-length", b"-5")], [b""])[0]["status"] == 413
