"""Register questionnaires (an uploaded XLSForm) as immutable versions, and load them.

The same bytes registered twice are one version; a changed file is the next version of its
questionnaire. Nothing is stored unless xlsform accepts the whole form, and the refusal lists
every problem at its sheet, row and column.
"""

from __future__ import annotations

import hashlib
from threading import Lock

from django.db import IntegrityError, transaction
from django.db.models import Max

from caseroom.xlsform import Form, FormError, Problem, limits, read_form

from .models import Questionnaire, QuestionnaireVersion

__all__ = ["MAX_UPLOAD_BYTES", "FormRejected", "form_of", "register_form"]

MAX_UPLOAD_BYTES = limits.MAX_FILE_BYTES


class FormRejected(Exception):
    """The uploaded form cannot be used; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems


def register_form(
    data: bytes, filename: str, title: str, questionnaire: Questionnaire | None = None
) -> QuestionnaireVersion:
    """Check and store a form as the next version of `questionnaire` (a new questionnaire
    titled `title` when None). Bytes already registered return their version, unchanged:
    for `questionnaire`, its version with this digest; without one, any version with it."""
    if len(data) > MAX_UPLOAD_BYTES:  # before hashing or parsing anything
        message = f"the file is too large: at most {MAX_UPLOAD_BYTES:,} bytes"
        raise FormRejected([Problem("", 0, "", message)])
    digest = hashlib.sha256(data).hexdigest()
    existing = QuestionnaireVersion.objects.filter(digest=digest)
    if questionnaire is not None:
        existing = existing.filter(questionnaire=questionnaire)
    found = existing.order_by("pk").first()
    if found is not None:
        return found
    try:
        form = read_form(data, filename)
    except FormError as error:
        raise FormRejected(error.problems) from None
    try:
        with transaction.atomic():
            return _store(data, filename, title, questionnaire, digest, form)
    except IntegrityError:
        # A concurrent registration of the same bytes won the race: theirs is ours.
        raced = existing.order_by("pk").first()
        if raced is None:
            raise
        return raced


def _store(
    data: bytes,
    filename: str,
    title: str,
    questionnaire: Questionnaire | None,
    digest: str,
    form: Form,
) -> QuestionnaireVersion:
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(title=title[:200] or form.title[:200])
    else:
        # Lock the questionnaire: two uploads at once must not both take the same number.
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).get()
    last = questionnaire.versions.aggregate(last=Max("number"))["last"] or 0
    return QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=last + 1,
        digest=digest,
        source_name=filename.rsplit("/", 1)[-1][:200],
        source=data,
        form=form.to_dict(),
        languages=[language.key for language in form.languages],
    )


# Keyed by id and digest: ids can repeat where rows are rolled back (tests).
_cache: dict[tuple[int, str], Form] = {}
_lock = Lock()
_CACHE_SIZE = 256


def form_of(version: QuestionnaireVersion) -> Form:
    """The Form of a version, read from its stored JSON once per process (versions never
    change). Callers that list versions should `defer("source")`: it is not needed here."""
    key = (version.pk, version.digest)
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = Form.from_dict(version.form)
                if len(_cache) >= _CACHE_SIZE:
                    _cache.clear()  # rare: a process that served hundreds of versions
                _cache[key] = found
    return found
