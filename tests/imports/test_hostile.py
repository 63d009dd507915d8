"""Broken, foreign and hostile archives: refused as a whole with a clear message, or item by
item with the reason in the report; the import goes on with the next item."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from glimpse.imports.models import ArchiveImport
from glimpse.imports.zipreader import safe_name
from glimpse.posts.models import Post
from tests.imports.conftest import T2019, T2020, Archive, instagram_archive, jpeg, photo_entry

pytestmark = pytest.mark.django_db

POSTS = "your_instagram_activity/content/posts_1.json"


def stored() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def reasons(job: ArchiveImport) -> dict[str, str]:
    return {s["item"]: s["reason"] for s in job.report["skipped"]}


def with_good_post(archive: Archive) -> Archive:
    """Add one good post beside the bad ones: the import must carry on to it."""
    return archive.add("media/posts/202001/good.jpg", jpeg(9))


def test_a_zip_bomb_member_is_refused_by_its_ratio_and_the_rest_comes_in(
    make_user, run_import
) -> None:
    ana = make_user("ana")
    archive = instagram_archive(
        posts=[
            photo_entry("media/posts/201905/bomb.jpg", T2019),
            photo_entry("media/posts/202001/good.jpg", T2020, title="good"),
        ]
    )
    # 8 MB of zeros packs to a few kilobytes: a ratio far above the cap.
    archive.add("media/posts/201905/bomb.jpg", b"\xff\xd8\xff" + bytes(8 * 1024 * 1024))
    job = run_import(ana, with_good_post(archive).bytes())
    assert job.status == "done"
    [(item, reason)] = reasons(job).items()
    assert "bomb.jpg" in item
    assert "unpacks to over 200 times its packed size" in reason
    assert [p.caption for p in Post.objects.filter(author=ana)] == ["good"]


def test_a_member_that_unpacks_to_more_than_it_declares_is_stopped(make_user, run_import) -> None:
    ana = make_user("ana")
    name = "media/posts/201905/liar.jpg"
    archive = instagram_archive(posts=[photo_entry(name, T2019)])
    data = bytearray(archive.add(name, jpeg(1) + bytes(300_000)).bytes())
    # Make the member declare 100 bytes, in its local header and its central record.
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    central = bytes(data).rindex(b"PK\x01\x02", 0, bytes(data).rindex(name.encode()))
    struct.pack_into("<I", data, central + 24, 100)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name).file_size == 100

    job = run_import(ana, bytes(data))

    assert job.status == "done"
    assert reasons(job) == {
        f"Post of 2019-05-04 10:00 ({name})": "This file is damaged in the archive."
    }
    assert not Post.objects.filter(author=ana).exists()


def test_names_that_leave_the_archive_are_ignored_and_reported(make_user, run_import) -> None:
    ana = make_user("ana")
    archive = instagram_archive(
        posts=[
            photo_entry("../../outside.jpg", T2019),
            photo_entry("media/posts/202001/good.jpg", T2020, title="good"),
        ]
    )
    for name in ("../../outside.jpg", "/etc/absolute.jpg", "media\\back.jpg", "C:/drive.jpg"):
        archive.files[name] = jpeg(2)
    job = run_import(ana, with_good_post(archive).bytes())
    found = reasons(job)
    for name in ("../../outside.jpg", "/etc/absolute.jpg", "media\\back.jpg", "C:/drive.jpg"):
        assert found[name] == "A file name that leaves the archive was ignored."
    [post_reason] = [r for item, r in found.items() if item.startswith("Post of")]
    assert post_reason == "The archive does not hold ../../outside.jpg."
    assert [p.caption for p in Post.objects.filter(author=ana)] == ["good"]
    assert not any("outside" in name or "absolute" in name for name in stored())


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("media/posts/a.jpg", "media/posts/a.jpg"),
        ("./media//posts/a.jpg", "media/posts/a.jpg"),
        ("../a.jpg", None),
        ("media/../../a.jpg", None),
        ("/etc/passwd", None),
        ("C:/Windows/a.jpg", None),
        ("media\\a.jpg", None),
        ("a\x00.jpg", None),
        ("", None),
    ],
)
def test_member_names_are_made_plain_or_refused(raw, clean) -> None:
    assert safe_name(raw) == clean


def test_a_member_over_the_size_limit_is_refused(make_user, run_import, settings) -> None:
    settings.GLIMPSE_PHOTO_MAX_BYTES = settings.GLIMPSE_VIDEO_MAX_BYTES = 1000
    ana = make_user("ana")
    archive = instagram_archive(posts=[photo_entry("media/posts/201905/big.jpg", T2019)])
    job = run_import(ana, archive.add("media/posts/201905/big.jpg", jpeg(3)).bytes())
    [reason] = reasons(job).values()
    assert reason == "This file is larger than 1000 bytes, the most an import takes."
    assert not Post.objects.filter(author=ana).exists()


def test_a_jpg_that_is_a_text_file_is_refused_by_the_media_check(make_user, run_import) -> None:
    ana = make_user("ana")
    archive = instagram_archive(
        posts=[
            photo_entry("media/posts/201905/fake.jpg", T2019),
            photo_entry("media/posts/202001/good.jpg", T2020, title="good"),
        ]
    )
    archive.add("media/posts/201905/fake.jpg", b"#!/bin/sh\necho this is no photo\n")
    job = run_import(ana, with_good_post(archive).bytes())
    [(item, reason)] = reasons(job).items()
    assert item == "Post of 2019-05-04 10:00 (media/posts/201905/fake.jpg)"
    assert reason.startswith("media/posts/201905/fake.jpg: This kind of file is not supported.")
    assert [p.caption for p in Post.objects.filter(author=ana)] == ["good"]


def test_json_of_the_wrong_shape_is_reported_entry_by_entry(make_user, run_import) -> None:
    ana = make_user("ana")
    archive = Archive().add(POSTS, [1, "x", None, {"foo": 1}, [], {"media": []}])
    archive.add("your_instagram_activity/content/stories.json", {"ig_stories": "none here"})
    job = run_import(ana, archive.bytes())
    assert job.status == "done"
    found = reasons(job)
    assert [found[f"{POSTS}, post {i}"] for i in range(1, 7)] == ["This is not a post."] * 6
    assert found["your_instagram_activity/content/stories.json"] == (
        "This document does not have the shape of Instagram's stories."
    )
    assert job.report["skipped_count"] == 7


def test_json_that_does_not_parse_is_reported(make_user, run_import) -> None:
    ana = make_user("ana")
    job = run_import(ana, Archive().add(POSTS, "[{not json").bytes())
    assert reasons(job)[POSTS] == "This document is not valid JSON."


def test_a_broken_zip_fails_with_a_clear_message(make_user, run_import) -> None:
    ana = make_user("ana")
    job = run_import(ana, b"PK\x03\x04" + b"not really a zip" * 100)
    assert job.status == "failed"
    assert job.error == "This file is not a zip archive."
    assert not stored()  # the upload is gone


def test_an_archive_of_no_known_layout_fails_with_a_clear_message(make_user, run_import) -> None:
    ana = make_user("ana")
    job = run_import(ana, Archive().add("notes/todo.txt", "milk").add("x.json", []).bytes())
    assert job.status == "failed"
    assert job.error.startswith("This archive is neither Instagram's")
    assert not stored()


def test_too_many_members_fail_with_a_clear_message(make_user, run_import, settings) -> None:
    settings.GLIMPSE_IMPORT_MAX_MEMBERS = 3
    ana = make_user("ana")
    archive = Archive()
    for index in range(5):
        archive.add(f"media/{index}.jpg", b"x")
    job = run_import(ana, archive.bytes())
    assert job.status == "failed"
    assert job.error == "This archive has 5 files; at most 3 are read."
