"""The pages of one app's URL namespace and what each declares about who may open it.

Every app's access-matrix test (tests/<app>/test_access_matrix.py) walks its URLconf with
`pages_of`, so a new view is in the matrix the day it exists; the view's declaration —
`@access.needs(<capability>)`, `@access.signed_in` or `@access.public` — says what each kind
of visitor must get.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Page:
    name: str  # "programmes:dashboard"
    route: str  # "programmes/<int:programme_id>/"
    kwargs: tuple[str, ...]
    view: Callable[..., HttpResponse]

    @property
    def needs(self) -> Any:
        """The capability the view declares (its app's `Can` member), or None."""
        need = getattr(self.view, "needs", None)
        return need if isinstance(need, enum.Enum) else None

    @property
    def public(self) -> bool:
        return getattr(self.view, "public", False) is True

    @property
    def signed_in(self) -> bool:
        return getattr(self.view, "signed_in", False) is True

    @property
    def declared(self) -> bool:
        return self.needs is not None or self.public or self.signed_in


P = TypeVar("P")


def pages_of(namespace: str, page: Callable[[str, str, tuple[str, ...], Any], P] = Page) -> list[P]:  # type: ignore[assignment]
    """Every named URL under `namespace`, with its route's kwarg names, as `page` objects (an
    app whose views declare more than needs/signed_in/public passes its own Page class)."""
    found: list[P] = []

    def walk(patterns: list[Any], route: str, prefix: str) -> None:
        for pattern in patterns:
            text = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, text, inner)
            elif isinstance(pattern, URLPattern) and prefix.startswith(f"{namespace}:"):
                assert pattern.name, f"every {namespace} URL is named: {text}"
                kwargs = tuple(pattern.pattern.converters)
                found.append(page(prefix + pattern.name, text, kwargs, pattern.callback))

    walk(get_resolver().url_patterns, "", "")
    return found


def expected_for_seat(
    page: Page,
    visitor: str,
    *,
    members: Mapping[str, Any],
    outsiders: Collection[str],
    allowed: Mapping[Any, Collection[Any]],
) -> str:
    """What a visitor must get on a page of an app whose doors are membership seats: "ok",
    "login" (anonymous), "missing" (an outsider: 404) or "forbidden" (a seat whose role,
    `members[visitor]`, lacks the page's capability in `allowed`); a superuser passes."""
    if page.public:
        return "ok"
    if visitor == "anonymous":
        return "login"
    if page.signed_in:
        return "ok"
    if visitor in outsiders:
        return "missing"
    if visitor == "superuser":
        return "ok"
    assert page.needs is not None
    return "ok" if page.needs in allowed[members[visitor]] else "forbidden"


def mismatch(want: str, visitor: str, url: str, client: Client) -> str | None:
    """Open `url` as `client` in a savepoint rolled back after it (a GET, or an empty POST where
    GET is 405) and say how the answer differs from `want` (see `expected_for_seat`), or None."""
    with transaction.atomic():
        response: HttpResponseBase = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        transaction.set_rollback(True)
    status, where = response.status_code, response.get("Location", "")
    if want == "ok":
        good = status not in (401, 403, 404) and status < 500 and "/accounts/login/" not in where
    elif want == "forbidden":
        good = status == 403
    elif want == "missing":
        good = status == 404
    else:
        good = status == 302 and "/accounts/login/" in where
    return None if good else f"{visitor}: expected {want}, got {status} {where}".rstrip()
