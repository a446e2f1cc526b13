"""The edge to a Learning Record Store: send xAPI statements, read them back.

`HttpLrsClient` speaks the xAPI 1.0.3 Statement API over HTTP; `MemoryLrsClient` keeps
statements in a dict for tests. Every failure is an `LrsError` whose message can be
shown to a facilitator as it is.

>>> client = client_from_settings()                            # doctest: +SKIP
>>> client.send(statements).stored                               # doctest: +SKIP
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin

import httpx
from django.conf import settings

__all__ = [
    "XAPI_VERSION",
    "HttpLrsClient",
    "LrsClient",
    "LrsError",
    "MemoryLrsClient",
    "SendResult",
    "client_from_settings",
]

XAPI_VERSION = "1.0.3"


class LrsError(Exception):
    """The LRS could not be reached or refused the request; the message says why in
    words a facilitator can act on. `status` is the HTTP status, None without a reply."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the LRS did with the statements sent.

    `stored`: ids it stored now; `unchanged`: ids it already had with the same content
    (a repeated send); `conflicts`: ids it already had with different content, kept as
    they were (xAPI statements are immutable), e.g. a team that joined a member after
    the first send.
    """

    stored: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


class LrsClient(Protocol):
    """Where the xAPI statements of an exercise go."""

    def send(self, statements: Sequence[Mapping[str, Any]]) -> SendResult: ...

    def fetch(self, registration: str | uuid.UUID) -> list[dict[str, Any]]: ...


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300]
    if isinstance(body, Mapping):
        for key in ("detail", "message", "error"):
            if body.get(key):
                return str(body[key])[:300]
    return json.dumps(body)[:300]


class HttpLrsClient:
    """An LRS over HTTP with basic authentication.

    `url` is the xAPI endpoint (statements live at `<url>/statements`). Statements go in
    batches of `batch_size`; `fetch` follows the LRS's `more` links page by page. A
    `client` may be given (a shared connection pool, or httpx.MockTransport in tests);
    otherwise each call opens and closes its own.
    """

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        client: httpx.Client | None = None,
        *,
        batch_size: int = 100,
        page_size: int | None = None,
        timeout: float = 15.0,
    ) -> None:
        self.endpoint = url.rstrip("/") + "/"
        self.statements_url = urljoin(self.endpoint, "statements")
        self._auth = httpx.BasicAuth(username, password)
        self._client = client
        self.batch_size = batch_size
        self.page_size = page_size
        self.timeout = timeout

    @contextmanager
    def _http(self) -> Iterator[httpx.Client]:
        if self._client is not None:
            yield self._client
            return
        # Redirects followed: an LRS behind a proxy may move /statements to /statements/.
        with httpx.Client(timeout=self.timeout, follow_redirects=True) as client:
            yield client

    def _request(self, http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-Experience-API-Version": XAPI_VERSION}
        where = f"the Learning Record Store at {self.endpoint}"
        try:
            response = http.request(method, url, auth=self._auth, headers=headers, **kwargs)
        except httpx.ConnectError as error:
            raise LrsError(
                f"Cannot connect to {where} ({error}). Check LRS_URL and that the LRS is running."
            ) from None
        except httpx.TimeoutException:
            raise LrsError(f"{where[0].upper()}{where[1:]} did not answer in time.") from None
        except httpx.HTTPError as error:
            raise LrsError(f"Could not talk to {where}: {error}.") from None
        status = response.status_code
        if status in (401, 403):
            raise LrsError(
                f"{where[0].upper()}{where[1:]} refused the credentials (HTTP {status}): "
                "check LRS_USERNAME and LRS_PASSWORD.",
                status,
            )
        if status == 404:
            raise LrsError(
                f"No xAPI statements resource at {url} (HTTP 404): LRS_URL must be the "
                "xAPI endpoint, which often ends in /xAPI/.",
                status,
            )
        if status == 409 or status < 400:
            return response
        if status == 400:
            message = f"{where[0].upper()}{where[1:]} rejected the statements as invalid"
        else:
            message = f"{where[0].upper()}{where[1:]} failed"
        raise LrsError(f"{message} (HTTP {status}): {_detail(response)}", status)

    def send(self, statements: Sequence[Mapping[str, Any]]) -> SendResult:
        """POST the statements in batches; repeated identical statements are no error.

        An LRS answers 409 for a whole batch when one statement in it conflicts with a
        stored one (ralph does the same for nothing but real differences); that batch is
        then sent one statement at a time, so the others still get stored and each
        conflict is known by id.
        """
        stored: list[str] = []
        unchanged: list[str] = []
        conflicts: list[str] = []
        items = [dict(s) for s in statements]
        with self._http() as http:
            for start in range(0, len(items), self.batch_size):
                batch = items[start : start + self.batch_size]
                response = self._request(http, "POST", self.statements_url, json=batch)
                if response.status_code != 409:
                    new, same = self._accepted(batch, response)
                    stored += new
                    unchanged += same
                    continue
                for statement in batch:
                    single = self._request(http, "POST", self.statements_url, json=[statement])
                    if single.status_code == 409:
                        conflicts.append(str(statement.get("id", "")))
                    else:
                        new, same = self._accepted([statement], single)
                        stored += new
                        unchanged += same
        return SendResult(tuple(stored), tuple(unchanged), tuple(conflicts))

    @staticmethod
    def _accepted(
        batch: Sequence[Mapping[str, Any]], response: httpx.Response
    ) -> tuple[list[str], list[str]]:
        """Split a batch into stored and already-present ids by the LRS's answer: the
        ids it lists (200) were stored; statements it passes over were already there.
        An LRS that lists every id (allowed by xAPI) makes them all "stored"."""
        ids = [str(s["id"]) for s in batch if "id" in s]
        if response.status_code == 204 or not response.content:
            return [], ids
        try:
            listed = [str(i) for i in response.json()]
        except (ValueError, TypeError):
            return ids, []
        known = set(listed)
        return listed, [i for i in ids if i not in known]

    def fetch(self, registration: str | uuid.UUID) -> list[dict[str, Any]]:
        """Every statement of a registration, following `more` links to the end."""
        first = {"registration": str(registration)}
        if self.page_size is not None:
            first["limit"] = str(self.page_size)
        params: dict[str, str] | None = first
        result: list[dict[str, Any]] = []
        seen: set[str] = set()
        url: str | None = self.statements_url
        with self._http() as http:
            while url is not None:
                response = self._request(http, "GET", url, params=params)
                if response.status_code == 409:
                    raise LrsError(f"Unexpected HTTP 409 from {url}: {_detail(response)}", 409)
                try:
                    body = response.json()
                    page = list(body["statements"])
                except (ValueError, KeyError, TypeError):
                    raise LrsError(
                        f"The answer of {url} is not an xAPI statement result."
                    ) from None
                result += page
                more = body.get("more") or None
                # `more` is relative to the LRS's host and carries all parameters itself;
                # an empty page or a link seen before ends the walk (ralph offers one
                # empty page when the count is a multiple of the page size).
                if not page or more is None or more in seen:
                    break
                seen.add(more)
                # None, not {}: httpx replaces the link's own query with a params dict.
                url, params = urljoin(self.endpoint, more), None
        return result


def _comparable(statement: Mapping[str, Any]) -> dict[str, Any]:
    # Fields an LRS fills in on arrival do not make two statements different (xAPI
    # "Statement comparison requirements").
    return {k: v for k, v in statement.items() if k not in ("stored", "authority", "version")}


class MemoryLrsClient:
    """An LRS in a dict, with the same answers to repeated and conflicting statements."""

    def __init__(self) -> None:
        self.statements: dict[str, dict[str, Any]] = {}

    def send(self, statements: Sequence[Mapping[str, Any]]) -> SendResult:
        stored: list[str] = []
        unchanged: list[str] = []
        conflicts: list[str] = []
        for statement in statements:
            # A deep copy through JSON: what an HTTP LRS would see, and no shared lists.
            item = json.loads(json.dumps(statement))
            item.setdefault("id", str(uuid.uuid4()))
            previous = self.statements.get(item["id"])
            if previous is None:
                self.statements[item["id"]] = item
                stored.append(item["id"])
            elif _comparable(previous) == _comparable(item):
                unchanged.append(item["id"])
            else:
                conflicts.append(item["id"])
        return SendResult(tuple(stored), tuple(unchanged), tuple(conflicts))

    def fetch(self, registration: str | uuid.UUID) -> list[dict[str, Any]]:
        wanted = str(registration)
        return [
            copy.deepcopy(s)
            for s in self.statements.values()
            if s.get("context", {}).get("registration") == wanted
        ]


def client_from_settings() -> HttpLrsClient | None:
    """The configured LRS, or None when LRS_URL is not set."""
    if not settings.LRS_URL:
        return None
    return HttpLrsClient(settings.LRS_URL, settings.LRS_USERNAME, settings.LRS_PASSWORD)
