"""Under ASGI a request crosses into a worker thread once, not once per middleware hook."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from asgiref.sync import SyncToAsync
from django.conf import settings
from django.test import AsyncClient


def test_the_one_thread_chain_is_the_innermost_middleware() -> None:
    assert settings.MIDDLEWARE[-1] == "caseroom.lib.middleware.OneThreadMiddlewareChain"


def hand_offs(monkeypatch: pytest.MonkeyPatch, path: str, **extra: Any) -> tuple[int, int]:
    """(thread hand-offs, status) of one request through Django's ASGI handler."""
    calls = 0
    original = SyncToAsync.__call__

    async def counting(self: SyncToAsync[Any, Any], *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counting)
    # In a thread of its own: browser tests earlier in the run may leave an event loop
    # running in this one, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(lambda: asyncio.run(AsyncClient().get(path, **extra))).result()
    return calls, response.status_code


def test_a_request_crosses_into_a_thread_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls, status = hand_offs(monkeypatch, "/healthz")
    assert status == 200
    # One for the whole chain and the view; the others are Django's own (the request
    # started/finished signals, closing old database connections), whatever the chain.
    assert calls <= 5, calls


def test_without_the_one_thread_chain_every_hook_would_hop(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.MIDDLEWARE = settings.MIDDLEWARE[:-1]  # the measurement the class is for
    calls, _status = hand_offs(monkeypatch, "/healthz")
    assert calls >= 15, calls
