"""Refuse an HTTP request body larger than the app ever accepts, before Django reads it.

Under ASGI Django reads the whole body (into a temporary file past 2.5 MB) before any view
or upload handler can look at its size, so a 2 GB post cost a laptop its disk and minutes.
The largest thing anyone sends is a scenario zip (20 MB, see scenarios/unzip.py); with room
for the form around it, nothing larger is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Loose on purpose: Django's, Channels' and uvicorn's type their ASGI callables differently.
ASGIApp = Callable[..., Awaitable[None]]

MAX_BODY_BYTES = 21 * 1024 * 1024

__all__ = ["MAX_BODY_BYTES", "BodyLimit"]


class BodyLimit:
    """413 when Content-Length says too much; a body that grows past the limit without
    saying so (chunked) is cut off: the app sees the client disconnect."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    return {"type": "http.disconnect"}
            return message

        await self.app(scope, counted, send)


async def _too_large(send: Send, max_bytes: int) -> None:
    text = f"The request is larger than {max_bytes // (1024 * 1024)} MB.".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})
