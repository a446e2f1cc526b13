"""The scenario upload form, the upload handler that bounds what reaches it, and the
"try it" form of a version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from caseroom.lib.forms import KeyField

from .registry import MAX_UPLOAD_BYTES

__all__ = ["SizeCap", "TryForm", "UploadForm"]


class SizeCap(FileUploadHandler):
    """Drops an uploaded file as soon as it passes `limit` bytes.

    Django keeps files over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) in a temporary file and puts
    no bound on their size; installed first, this handler stops an oversized upload before it
    is written anywhere and remembers the field, so the form can say why the file is missing.
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.dropped: set[str] = set()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.dropped.add(str(self.field_name))
            raise SkipFile  # Django closes (and so deletes) what later handlers stored
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) keeps the file


class UploadForm(forms.Form):
    archive = forms.FileField(
        label=_("Scenario folder as a zip file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        """`too_large`: `SizeCap` dropped the file, so it is missing for its size."""
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:
            self.fields["archive"].required = False  # "required" would be the wrong reason

    def clean_archive(self) -> UploadedFile[bytes] | None:
        archive: UploadedFile[bytes] | None = self.cleaned_data.get("archive")
        if self.too_large or (archive is not None and (archive.size or 0) > MAX_UPLOAD_BYTES):
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20},
                code="too_large",
            )
        return archive


class TryForm(forms.Form):
    """A practice exercise of the version; the key makes a double click start one."""

    key = KeyField()
