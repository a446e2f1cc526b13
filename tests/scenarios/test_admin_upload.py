"""The admin's scenario upload: a hostile zip is a page that names the problem, never a 500,
and an oversized file is dropped while it arrives, before it is stored anywhere."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import Client, RequestFactory

from caseroom.scenarios import admin
from caseroom.scenarios.forms import SizeCap
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.unzip import MB
from tests.scenarios.conftest import stored
from tests.scenarios.zips import payload_offset, with_entry, zipped

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/scenarios/scenarioversion/upload/"


def post(client: Client, data: bytes, name: str = "case.zip") -> str:
    response = client.post(UPLOAD, {"archive": SimpleUploadedFile(name, data)})
    # 400, as for every refused scenario (tests/exercises/test_console.py): the page is the
    # form again with the problems above it.
    assert response.status_code == 400, response.status_code
    content: str = response.content.decode()
    assert "Traceback" not in content
    return content


def corrupt_deflate() -> bytes:
    good = zipped()
    start = payload_offset(good, "mini/scenes.yaml")
    return good[:start] + b"\xff" * 16 + good[start + 16 :]


def symlink() -> bytes:
    link = zipfile.ZipInfo("mini/assets/logo.svg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return with_entry(link, "/etc/passwd")


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (corrupt_deflate, "mini/scenes.yaml: damaged: its compressed data cannot be read"),
        (symlink, "mini/assets/logo.svg: is a symbolic link"),
        (
            lambda: zipped(extra={"mini/docs": "x", "mini/docs/a.yaml": "b: 1"}),
            "mini/docs: is a file",
        ),
    ],
    ids=["corrupt deflate", "symbolic link", "file and folder"],
)
def test_a_hostile_zip_is_a_page_naming_the_problem(
    admin_client: Client, store: Path, build: object, expected: str
) -> None:
    content = post(admin_client, build())  # type: ignore[operator]
    assert "The scenario has 1 problem" in content
    assert re.search(re.escape(expected.replace("'", "&#x27;")), content), content
    assert stored(store) == [] and not ScenarioVersion.objects.exists()


def test_a_file_over_20_mb_is_a_form_error_and_is_not_kept(
    admin_client: Client, store: Path
) -> None:
    response = admin_client.post(
        UPLOAD, {"archive": SimpleUploadedFile("big.zip", b"\0" * (20 * MB + 1))}
    )
    assert response.status_code == 200
    assert "The file is larger than 20 MB." in response.content.decode()
    assert stored(store) == []


def test_the_size_cap_drops_the_file_while_it_arrives(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cap lowered to 10 KB, a 50 KB zip (well under the form's own 20 MB check)
    only fails because the upload handler dropped it."""
    monkeypatch.setattr(admin, "MAX_UPLOAD_BYTES", 10_000)
    response = admin_client.post(
        UPLOAD, {"archive": SimpleUploadedFile("x.zip", os.urandom(50_000))}
    )
    assert response.status_code == 200
    assert "The file is larger than 20 MB." in response.content.decode()


def test_the_size_cap_refuses_the_chunk_that_crosses_the_limit() -> None:
    cap = SizeCap(RequestFactory().post("/"), limit=100)
    cap.new_file("archive", "case.zip", "application/zip", None)
    assert cap.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        cap.receive_data_chunk(b"x" * 60, 60)
    assert cap.dropped == {"archive"}


def test_the_upload_still_checks_the_csrf_token(admin: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    forged = client.post(UPLOAD, {"archive": SimpleUploadedFile("case.zip", b"not a zip")})
    assert forged.status_code == 403
    client.get(UPLOAD)
    token = client.cookies["csrftoken"].value
    sent = client.post(
        UPLOAD,
        {"archive": SimpleUploadedFile("case.zip", b"not a zip"), "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 400 and "upload: not a zip file" in sent.content.decode()


def test_a_zip_django_keeps_on_disk_registers_from_the_file(
    admin_client: Client, store: Path
) -> None:
    """Over 2.5 MB (FILE_UPLOAD_MAX_MEMORY_SIZE) an upload is a temporary file: it is opened
    where it lies, not read into memory."""
    data = zipped(extra={"mini/assets/photo.jpg": os.urandom(3 * MB)})
    response = admin_client.post(UPLOAD, {"archive": SimpleUploadedFile("mini.zip", data)})
    assert response.status_code == 302
    version = ScenarioVersion.objects.get()
    assert (version.folder / "assets" / "photo.jpg").stat().st_size == 3 * MB
