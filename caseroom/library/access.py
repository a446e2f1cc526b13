"""Who may read and change the library: written once, called by every view.

Chosen rule: a published document is open to anyone, signed in or not — it is reference
material, and respondents of a self-assessment round (who have no account) follow the
citations in their questionnaire to it. Drafts are read only by staff (`is_staff`), and
only staff edit: create documents, upload versions, write sections, publish. A draft is
404 to anyone else (its existence is not told); an edit page is 403 to a signed-in
non-staff user and sends a visitor to log in.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from .models import Document

__all__ = [
    "Can",
    "document_for",
    "documents_visible_to",
    "library_editor",
    "may",
    "needs",
    "public",
    "reads_drafts",
]


class Can(enum.Enum):
    READ = "read"  # published documents: anyone; drafts: staff
    EDIT = "edit"  # staff


def _signed_in(user: User | AnonymousUser | Any) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def library_editor(user: User | AnonymousUser | Any) -> bool:
    """Staff edit the library (and read its drafts)."""
    return _signed_in(user) and bool(user.is_staff)


def reads_drafts(user: User | AnonymousUser | Any) -> bool:
    return library_editor(user)


def may(user: User | AnonymousUser | Any, need: Can, document: Document | None = None) -> bool:
    if need is Can.EDIT:
        return library_editor(user)
    return document is None or document.published or reads_drafts(user)


def documents_visible_to(user: User | AnonymousUser | Any) -> QuerySet[Document]:
    if reads_drafts(user):
        return Document.objects.all()
    return Document.objects.filter(published=True)


def document_for(request: HttpRequest, slug: str, need: Can = Can.READ) -> Document:
    """The document, 404 when it does not exist or is a draft the user may not read, 403
    when the user may read it but `need` is more than reading."""
    document = Document.objects.filter(slug=slug).first()
    if document is None or not may(request.user, Can.READ, document):
        raise Http404
    if not may(request.user, need, document):
        raise PermissionDenied
    return document


_V = TypeVar("_V", bound=Callable[..., HttpResponseBase])


def needs(capability: Can) -> Callable[[_V], _V]:
    """Declares an editing page: signed in, and listed in the access matrix
    (tests/library/test_access_matrix.py). The view still calls `document_for` or
    `library_editor`, which is what enforces the rule."""

    def declare(view: _V) -> _V:
        guarded = login_required(view)
        guarded.needs = capability  # type: ignore[attr-defined]
        return guarded

    return declare


def public(view: _V) -> _V:
    """Declares a reading page anyone may open (what it shows of drafts is decided inside)."""
    view.public = True  # type: ignore[attr-defined]
    return view


def require_editor(request: HttpRequest) -> None:
    if not library_editor(request.user):
        raise PermissionDenied
