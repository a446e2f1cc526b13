"""The Scenarios page's upload: a hostile zip is a page that names the problem, never a 500,
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

from caseroom.scenarios import registry
from caseroom.scenarios.forms import SizeCap
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.unzip import MB
from tests.scenarios.conftest import stored
from tests.scenarios.zips import bomb, payload_offset, with_entry, zipped

pytestmark = pytest.mark.django_db

UPLOAD = "/scenarios/upload/"


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
        (
            lambda: bomb(megabytes=20),
            "mini/padding.yaml: unpacks to 20 MB, over the limit of 512 KB for a YAML file",
        ),
    ],
    ids=["corrupt deflate", "symbolic link", "file and folder", "zip bomb"],
)
def test_a_hostile_zip_is_a_page_naming_the_problem(
    trainer_client: Client, store: Path, build: object, expected: str
) -> None:
    content = post(trainer_client, build())  # type: ignore[operator]
    assert "it has 1 problem." in content
    assert re.search(re.escape(expected.replace("'", "&#x27;")), content), content
    assert stored(store) == [] and not ScenarioVersion.objects.exists()


def test_a_file_over_20_mb_is_a_form_error_and_is_not_kept(
    trainer_client: Client, store: Path
) -> None:
    response = trainer_client.post(
        UPLOAD, {"archive": SimpleUploadedFile("big.zip", b"\0" * (20 * MB + 1))}
    )
    assert response.status_code == 400
    assert "The file is larger than 20 MB." in response.content.decode()
    assert stored(store) == []


def test_the_size_cap_drops_the_file_while_it_arrives(
    trainer_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cap lowered to 10 KB, a 50 KB zip (well under the form's own 20 MB check)
    only fails because the upload handler dropped it."""
    monkeypatch.setattr(registry, "MAX_UPLOAD_BYTES", 10_000)
    response = trainer_client.post(
        UPLOAD, {"archive": SimpleUploadedFile("x.zip", os.urandom(50_000))}
    )
    assert response.status_code == 400
    assert "The file is larger than 20 MB." in response.content.decode()


def test_the_size_cap_refuses_the_chunk_that_crosses_the_limit() -> None:
    cap = SizeCap(RequestFactory().post("/"), limit=100)
    cap.new_file("archive", "case.zip", "application/zip", None)
    assert cap.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        cap.receive_data_chunk(b"x" * 60, 60)
    assert cap.dropped == {"archive"}


def test_the_upload_still_checks_the_csrf_token(trainer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
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
    trainer_client: Client, store: Path
) -> None:
    """Over 2.5 MB (FILE_UPLOAD_MAX_MEMORY_SIZE) an upload is a temporary file: it is opened
    where it lies, not read into memory."""
    data = zipped(extra={"mini/assets/photo.jpg": os.urandom(3 * MB)})
    response = trainer_client.post(UPLOAD, {"archive": SimpleUploadedFile("mini.zip", data)})
    version = ScenarioVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/scenarios/{version.pk}/"
    assert (version.folder / "assets" / "photo.jpg").stat().st_size == 3 * MB


def test_a_good_zip_is_registered_and_its_page_says_so(
    trainer_client: Client, trainer: User
) -> None:
    response = trainer_client.post(
        UPLOAD, {"archive": SimpleUploadedFile("mini.zip", zipped())}, follow=True
    )
    version = ScenarioVersion.objects.get()
    assert version.registered_by == trainer
    assert response.redirect_chain == [(f"/scenarios/{version.pk}/", 302)]
    assert f"Registered {version.title}, version {version.version}." in response.content.decode()


def test_the_same_zip_twice_is_one_version_and_the_second_upload_says_so(
    trainer_client: Client,
) -> None:
    trainer_client.post(UPLOAD, {"archive": SimpleUploadedFile("mini.zip", zipped())})
    again = trainer_client.post(
        UPLOAD, {"archive": SimpleUploadedFile("mini.zip", zipped())}, follow=True
    )
    assert ScenarioVersion.objects.count() == 1
    assert "This content is already registered" in again.content.decode()


def test_not_a_zip_and_an_invalid_scenario_are_named_never_a_traceback(
    trainer_client: Client, store: Path
) -> None:
    assert "upload: not a zip file" in post(trainer_client, b"%PDF-1.7 not a zip", "case.pdf")
    broken = zipped(extra={"mini/scenario.yaml": "id: mini\nversion: [unclosed\n"})
    content = post(trainer_client, broken)
    # The engine's own line, as `caseroom validate` prints it: file, line, column.
    assert "scenario.yaml:2:10: broken YAML: the &#x27;[&#x27; opened here" in content
    assert stored(store) == []


def test_an_empty_file_is_a_form_error(trainer_client: Client) -> None:
    assert "The submitted file is empty." in post(trainer_client, b"", "empty.zip")


def test_the_admin_points_trainers_to_the_scenarios_page(admin_client: Client) -> None:
    page = admin_client.get("/admin/scenarios/scenarioversion/").content.decode()
    assert 'href="/scenarios/upload/"' in page
    assert "Caseroom administration" in page and "Django administration" not in page
    assert admin_client.get("/admin/scenarios/scenarioversion/add/").status_code == 403
