"""A scenario uploaded as a zip: hostile or broken archives are refused with a diagnostic that
names the entry and the problem, nothing is stored, and no exception but RegistrationError
leaves `register_zip`."""

from __future__ import annotations

import io
import os
import stat
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from caseroom.scenarios import registry
from caseroom.scenarios.models import ScenarioVersion
from caseroom.scenarios.registry import RegistrationError, register_zip
from caseroom.scenarios.unzip import MB, Limits, ZipRefused, unpack
from tests.scenarios.conftest import stored
from tests.scenarios.zips import (
    bomb,
    header,
    mini_files,
    patch,
    payload_offset,
    replace_bytes,
    with_entry,
    zipped,
)

pytestmark = pytest.mark.django_db

GOOD = zipped()
SCENES = "mini/scenes.yaml"


def refusal(data: bytes | IO[bytes]) -> str:
    """The first diagnostic of refusing `data`, as the admin shows it."""
    with pytest.raises(RegistrationError) as caught:
        register_zip(data, explore=False)
    return str(caught.value.diagnostics[0])


def entry(name: str, *, mode: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = mode << 16
    return info


def corrupt_deflate() -> bytes:
    start = payload_offset(GOOD, SCENES)
    return GOOD[:start] + b"\xff" * 16 + GOOD[start + 16 :]


def non_utf8_name() -> bytes:
    # zipfile writes "café" as UTF-8 and sets the UTF-8 flag; two bytes that are no UTF-8 at
    # all take the place of "é" in both headers.
    data = zipped(extra={"mini/caf\u00e9.yaml": "a: 1\n"})
    return replace_bytes(data, "caf\u00e9".encode(), b"caf\xff\xfe")


# Each case failed with a traceback (a 500 in the admin) or was silently accepted before.
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "bad CRC": (
        lambda: patch(GOOD, SCENES, crc=header(GOOD, SCENES, "crc") ^ 1),
        "mini/scenes.yaml: damaged: its checksum (CRC-32) does not match its content",
    ),
    "size in the header larger than the data": (
        lambda: patch(GOOD, SCENES, size=header(GOOD, SCENES, "size") + 10),
        "mini/scenes.yaml: damaged: its header says 4356 bytes but it holds 4346",
    ),
    "size in the header smaller than the data": (
        lambda: patch(GOOD, SCENES, size=10),
        "mini/scenes.yaml: damaged: its checksum (CRC-32) does not match its content",
    ),
    "corrupt deflate data": (
        corrupt_deflate,
        "mini/scenes.yaml: damaged: its compressed data cannot be read (Error -3 while decompressing data: invalid block type)",
    ),
    "encrypted entry": (
        lambda: patch(GOOD, SCENES, flags=0x1),
        "mini/scenes.yaml: is encrypted: zip the folder without a password",
    ),
    "unknown compression method": (
        lambda: patch(GOOD, SCENES, method=97),
        "mini/scenes.yaml: uses compression method 97 (unknown): zip it again with 'deflate', the default of every zip tool",
    ),
    "a method Python reads but scenarios do not need": (
        lambda: zipped(method=zipfile.ZIP_BZIP2),
        "mini/assets/van.svg: uses compression method 12 (bzip2): zip it again with 'deflate', the default of every zip tool",
    ),
    "non-UTF-8 name flagged UTF-8": (
        non_utf8_name,
        "mini/caf\\xff\\xfe.yaml: the name is marked as UTF-8 but is not valid UTF-8: zip it again with a current tool (Windows Explorer, macOS Finder, 7-Zip)",
    ),
    "a file and a folder of the same name": (
        lambda: zipped(extra={"mini/docs": "x", "mini/docs/a.yaml": "b: 1\n"}),
        "mini/docs: is a file, but 'mini/docs/a.yaml' uses it as a folder",
    ),
    "the folder before the file": (
        lambda: zipped(extra={"mini/docs/a.yaml": "b: 1\n", "mini/docs": "x"}),
        "mini/docs: is a file, but 'mini/docs/a.yaml' uses it as a folder",
    ),
    "an entry named '.'": (
        lambda: zipped(extra={".": "x"}),
        ".: '.' or an empty folder name in the path",
    ),
    "an empty folder name": (
        lambda: zipped(extra={"mini//x.yaml": "x: 1\n"}),
        "mini//x.yaml: '.' or an empty folder name in the path",
    ),
    "a very long name": (
        lambda: zipped(extra={"mini/" + "a" * 300 + ".yaml": "x: 1\n"}),
        "a file or folder name is longer than 200 bytes",
    ),
    "a very deep name": (
        lambda: zipped(extra={"mini/" + "d/" * 3000 + "x.yaml": "x: 1\n"}),
        "the name is longer than 512 bytes",
    ),
    "deep but short": (
        lambda: zipped(extra={"mini/" + "d/" * 20 + "x.yaml": "x: 1\n"}),
        "folders nested deeper than 16 levels",
    ),
    "a control character in a name": (
        lambda: zipped(extra={"mini/a\x01.svg": "x"}),
        "mini/a\\x01.svg: control character in the name",
    ),
    "the same name twice": (
        lambda: with_entry(entry("mini/assets/van.svg"), "<svg/>"),
        "mini/assets/van.svg: appears twice in the zip",
    ),
    "two scenarios at one depth": (
        lambda: zipped({**mini_files("a/"), **mini_files("b/")}),
        "a/scenario.yaml: the zip holds 2 scenarios at the same depth ('a/scenario.yaml' and 'b/scenario.yaml'): upload one scenario folder per zip",
    ),
    "a symbolic link": (
        lambda: with_entry(entry("mini/assets/logo.svg", mode=stat.S_IFLNK | 0o777), "/etc/passwd"),
        "mini/assets/logo.svg: is a symbolic link: zip the file it points to instead",
    ),
    "a named pipe": (
        lambda: with_entry(entry("mini/assets/fifo", mode=stat.S_IFIFO | 0o644), ""),
        "mini/assets/fifo: is a device, pipe or socket, not a file",
    ),
    "a 95 MB YAML file in 270 KB": (
        bomb,
        "mini/padding.yaml: unpacks to 95 MB, over the limit of 512 KB for a YAML file",
    ),
    "a bomb whose headers claim 1 KB": (
        lambda: patch(bomb(megabytes=20), "mini/padding.yaml", size=1000),
        "mini/padding.yaml: damaged: its checksum (CRC-32) does not match its content",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_or_broken_zip_is_refused_naming_the_entry(case: str, store: Path) -> None:
    build, expected = HOSTILE[case]
    assert expected in refusal(build())
    assert stored(store) == []
    assert not ScenarioVersion.objects.exists()


def test_the_same_zip_without_surgery_registers() -> None:
    """The control for every hostile case above: they differ from this zip only in the flaw."""
    assert register_zip(GOOD).slug == "mini"


def test_a_zip_bomb_is_refused_without_unpacking_it(store: Path) -> None:
    data = bomb()  # 95 MB of YAML
    tracemalloc.start()
    try:
        refusal(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB
    assert stored(store) == []


def test_bytes_are_counted_as_they_come_out_not_taken_from_the_header(tmp_path: Path) -> None:
    """An asset that deflates 1000:1 but declares its size honestly (under the file limit) is
    stopped by counting, once it passes 100 times its packed size."""
    data = zipped(extra={"mini/assets/blank.bmp": b"\0" * (5 * MB)})
    with pytest.raises(ZipRefused) as caught:
        unpack(data, tmp_path / "out")
    assert str(caught.value.diagnostics[0]) == (
        "mini/assets/blank.bmp: expands more than 100 times: refused as a likely zip bomb"
    )
    written = tmp_path / "out" / "mini" / "assets" / "blank.bmp"
    assert written.stat().st_size <= 1 * MB + 64 * 1024  # the ratio floor and one chunk


def test_the_total_is_bounded_by_the_bytes_written(tmp_path: Path) -> None:
    data = zipped(extra={f"mini/assets/{i}.png": os.urandom(4000) for i in range(3)})
    small = Limits(total_bytes=10_000)
    with pytest.raises(ZipRefused) as caught:
        unpack(data, tmp_path / "out", small)
    assert str(caught.value.diagnostics[0]) == "upload: the zip unpacks to over 9 KB"


def test_yaml_together_is_bounded_apart_from_assets(tmp_path: Path) -> None:
    data = zipped(extra={f"mini/more{i}.yaml": f"# {'x' * 300_000}\n" for i in range(8)})
    with pytest.raises(ZipRefused) as caught:
        unpack(data, tmp_path / "out")
    assert str(caught.value.diagnostics[0]) == (
        "upload: the YAML files unpack to over 2 MB together"
    )


def test_an_upload_over_20_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    class Unread(io.FileIO):
        """A file that may be measured (seek, tell) but not read."""

        def read(self, size: int = -1, /) -> bytes:
            raise AssertionError("the upload was read")

    path = tmp_path / "big.zip"
    with path.open("wb") as big:
        big.truncate(21 * MB)  # sparse: 21 MB that take no room
    with Unread(path, "r") as upload:
        assert refusal(upload) == "upload: the file is larger than 20 MB"


def test_a_table_of_contents_too_large_to_be_real_is_not_parsed(tmp_path: Path) -> None:
    """zipfile parses the whole table of contents before it can be counted: 20 MB of tiny
    entries took 9.4 s and 200 MB. Its size is refused before zipfile reads it."""
    data = zipped(extra={f"mini/{i:04}-{'n' * 150}.svg": "" for i in range(10)})
    with pytest.raises(ZipRefused) as caught:
        unpack(data, tmp_path / "out", Limits(directory_bytes=1000))
    assert str(caught.value.diagnostics[0]) == (
        "upload: the zip's table of contents is larger than 1000 bytes: a scenario has at most 2000 files"
    )


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    data = zipped(extra={f"mini/assets/{i}.svg": "" for i in range(30)})
    with pytest.raises(ZipRefused) as caught:
        unpack(data, tmp_path / "out", Limits(entries=20))
    assert str(caught.value.diagnostics[0]) == "upload: too many files in the zip (35; at most 20)"


def test_every_bad_name_is_listed_at_once_up_to_twenty() -> None:
    with pytest.raises(RegistrationError) as caught:
        register_zip(zipped(extra={f"mini/{i}/./x.svg": "" for i in range(25)}), explore=False)
    lines = [str(d) for d in caught.value.diagnostics]
    assert len(lines) == 21 and lines[-1] == "upload: and 5 more problems"
    assert lines[0] == "mini/0/./x.svg: '.' or an empty folder name in the path"


def test_yaml_nested_deeper_than_the_engine_can_parse_is_refused() -> None:
    """3000 nested brackets (6 KB) ended in a RecursionError; the engine's limits (engine/
    limits.py) word the refusal, this test holds the upload to them."""
    deep = "x: " + "[" * 3000 + "]" * 3000 + "\n"
    assert refusal(zipped(extra={"mini/deep.yaml": deep})).startswith("deep.yaml:1:")


def test_yaml_aliases_are_counted_as_the_engine_expands_them() -> None:
    """300 bytes of nested aliases ("billion laughs") kept the engine busy for 76 s."""
    laughs = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdef", "bcdefg", strict=True)
    )
    started = time.perf_counter()
    assert refusal(zipped(extra={"mini/laughs.yaml": laughs})).startswith("laughs.yaml:6:")
    assert time.perf_counter() - started < 10  # was 76 s; the refusal takes ~25 ms


def test_broken_yaml_is_still_reported_by_the_engine_with_its_line() -> None:
    broken = zipped({"case/scenario.yaml": "id: x\nversion: 1\ntitle: [\n"})
    assert refusal(broken).startswith("scenario.yaml:3:8: broken YAML")


def test_a_version_longer_than_its_column_is_refused() -> None:
    """PostgreSQL refuses a 41-character version with a DataError (a 500) if nothing else does."""
    files = mini_files()
    text = files["mini/scenario.yaml"].decode().replace('version: "1.0"', f'version: "{"9" * 41}"')
    files["mini/scenario.yaml"] = text.encode()
    message = refusal(zipped(files))
    assert message.startswith("scenario.yaml:2:") and "40" in message


def test_names_separated_by_backslashes_register_as_folders() -> None:
    """Windows PowerShell 5 and .NET Framework write 'mini\\scenes.yaml'."""
    files = {name.replace("/", "\\"): content for name, content in mini_files().items()}
    version = register_zip(zipped(files), explore=False)
    assert (version.folder / "assets" / "van.svg").is_file()


def test_the_folder_macos_adds_to_a_zip_is_ignored() -> None:
    version = register_zip(
        zipped(extra={"__MACOSX/mini/._scenes.yaml": b"\0\5\26\7binary"}), explore=False
    )
    assert not (version.folder / "__MACOSX").exists()


def test_entries_outside_the_scenario_folder_are_not_stored() -> None:
    version = register_zip(
        zipped(extra={"README.txt": "notes", "old/notes.yaml": "a: 1\n"}), explore=False
    )
    assert sorted(p.name for p in version.folder.iterdir()) == [
        "assets",
        "rest.yaml",
        "scenario.yaml",
        "scenes.yaml",
        "translations",
    ]


def test_a_killed_registrations_work_folder_is_swept_by_the_next(store: Path) -> None:
    store.mkdir()
    killed = store / f"{registry.TEMP_PREFIX}killed"
    (killed / "mini").mkdir(parents=True)
    two_hours_ago = time.time() - 2 * 3600
    os.utime(killed, (two_hours_ago, two_hours_ago))
    running = store / f"{registry.TEMP_PREFIX}running"  # another upload, still in progress
    running.mkdir()
    refusal(b"not a zip")
    assert stored(store) == [running.name]
    running.rmdir()


def test_a_failed_registration_leaves_no_work_folder(store: Path) -> None:
    refusal(zipped(extra={"mini/broken.yaml": "a: [\n"}))
    assert stored(store) == []


def test_a_stored_version_is_moved_into_place_whole(store: Path) -> None:
    version = register_zip(GOOD, explore=False)
    assert stored(store) == [version.folder.name]
    assert sorted(
        p.relative_to(version.folder).as_posix() for p in version.folder.rglob("*.*")
    ) == [
        "assets/van.svg",
        "rest.yaml",
        "scenario.yaml",
        "scenes.yaml",
        "translations/sr.yaml",
    ]
    assert register_zip(GOOD, explore=False) == version  # the same content is the same version
