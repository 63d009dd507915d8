"""Imports in the API: upload, follow, use the offered profile; the owner's only (anyone else
gets the 404 of an import that does not exist, and nothing changes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from glimpse.accounts.models import User
from glimpse.api import api
from glimpse.graph import services as graph
from glimpse.imports.models import ArchiveImport
from glimpse.posts.models import Post
from tests.conftest import ApiClient
from tests.graph.conftest import api_as, follow_approved
from tests.imports.conftest import T2019, instagram_archive, jpeg, photo_entry

pytestmark = pytest.mark.django_db


def upload(client: ApiClient, data: bytes, capture: Any, name: str = "archive.zip") -> Any:
    """Post archive bytes as the multipart ``file`` of ``POST imports``; run the job."""
    headers: dict[str, Any] = (
        {"HTTP_AUTHORIZATION": f"Bearer {client.token}"} if client.token else {}
    )
    body = {"file": SimpleUploadedFile(name, data, content_type="application/zip")}
    with capture(execute=True):
        return client.client.post(client.root + "imports", body, **headers)


def small_archive() -> bytes:
    archive = instagram_archive(
        posts=[photo_entry("media/posts/a.jpg", T2019, title="old")],
        bio="From Instagram",
        picture=jpeg(7),
    )
    return archive.add("media/posts/a.jpg", jpeg(1)).bytes()


def state(user: User) -> tuple[Any, ...]:
    """Return what a refused call must leave as it was."""
    user.refresh_from_db()
    return (
        sorted(ArchiveImport.objects.values_list("pk", "status", "offered_bio", "offered_picture")),
        Post.objects.count(),
        user.bio,
        user.avatar_version,
    )


def stored() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_the_owner_uploads_follows_and_uses_the_offered_profile(
    make_user, django_capture_on_commit_callbacks
) -> None:
    ana = make_user("ana")
    client = api_as(ana)
    answer = upload(client, small_archive(), django_capture_on_commit_callbacks)
    assert answer.status_code == 202
    import_id = answer.json()["id"]
    got = client.get(f"imports/{import_id}")
    assert got.status_code == 200
    body = got.json()
    assert body["status"] == "done"
    assert body["source"] == "instagram"
    assert body["progress"] == 100
    assert body["report"] == {
        "posts": 1,
        "stories": 0,
        "already": 0,
        "skipped_count": 0,
        "skipped": [],
    }
    assert body["offered_bio"] == "From Instagram"
    assert body["offers_picture"] is True

    used = client.post(f"imports/{import_id}/use-bio")
    assert used.status_code == 200
    assert used.json()["offered_bio"] == ""
    pictured = client.post(f"imports/{import_id}/use-picture")
    assert pictured.status_code == 200
    assert pictured.json()["offers_picture"] is False
    ana.refresh_from_db()
    assert ana.bio == "From Instagram"
    assert ana.avatar_version
    # Used once: the offer is gone.
    again = client.post(f"imports/{import_id}/use-bio")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "no_bio"


@pytest.mark.parametrize("who", ["stranger", "blocked", "follower", "anonymous"])
def test_nobody_else_reads_or_uses_an_import(
    who, make_user, django_capture_on_commit_callbacks
) -> None:
    ana, other = make_user("ana"), make_user("other")
    if who == "blocked":
        graph.block_create(blocker=ana, blocked=other)
    elif who == "follower":
        follow_approved(other, ana)
    answer = upload(api_as(ana), small_archive(), django_capture_on_commit_callbacks)
    import_id = answer.json()["id"]
    before = state(ana)
    client = api_as(None if who == "anonymous" else other)
    missing = api_as(ana).get("imports/4242424242")
    for call in (
        lambda: client.get(f"imports/{import_id}"),
        lambda: client.post(f"imports/{import_id}/use-bio"),
        lambda: client.post(f"imports/{import_id}/use-picture"),
    ):
        refused = call()
        if who == "anonymous":
            assert refused.status_code == 401
        else:
            assert refused.status_code == 404
            assert refused.json() == missing.json()
    assert state(ana) == before


def test_an_archive_over_the_limit_is_a_413_and_nothing_is_kept(
    make_user, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GLIMPSE_IMPORT_MAX_BYTES = 1024 * 1024
    ana = make_user("ana")
    answer = upload(
        api_as(ana), b"PK\x03\x04" + bytes(1024 * 1024), django_capture_on_commit_callbacks
    )
    assert answer.status_code == 413
    assert answer.json()["error"] == {
        "code": "too_large",
        "message": "An archive can be at most 1 MB.",
        "fields": {},
    }
    assert not ArchiveImport.objects.exists()
    assert not stored()


def test_a_file_that_is_not_a_zip_is_a_415_and_nothing_is_kept(
    make_user, django_capture_on_commit_callbacks
) -> None:
    ana = make_user("ana")
    answer = upload(api_as(ana), jpeg(1), django_capture_on_commit_callbacks, name="photo.zip")
    assert answer.status_code == 415
    assert answer.json()["error"]["code"] == "not_zip"
    assert not ArchiveImport.objects.exists()
    assert not stored()


def test_a_second_upload_while_one_runs_is_a_409(make_user) -> None:
    ana = make_user("ana")
    ArchiveImport.objects.create(user=ana, file_name="imports/x.zip", status="running")
    client = api_as(ana)
    body = {"file": SimpleUploadedFile("a.zip", small_archive())}
    answer = client.client.post(
        client.root + "imports", body, HTTP_AUTHORIZATION=f"Bearer {client.token}"
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "pending"
    assert ArchiveImport.objects.count() == 1


def test_an_upload_without_a_file_is_a_clear_4xx(make_user) -> None:
    client = api_as(make_user("ana"))
    answer = client.client.post(
        client.root + "imports", {}, HTTP_AUTHORIZATION=f"Bearer {client.token}"
    )
    assert answer.status_code in (400, 422)
    assert "error" in answer.json()
    assert not ArchiveImport.objects.exists()


def test_every_imports_operation_declares_its_errors() -> None:
    operations = [
        (path, operation)
        for path, methods in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/glimpse/v1/imports")
        for operation in methods.values()
    ]
    assert len(operations) == 4
    for path, operation in operations:
        codes = {str(code) for code in operation["responses"]}
        assert {"401", "422"} <= codes, path
        assert "404" in codes or "{" not in path, path
        assert operation.get("summary"), path
        assert operation.get("description"), path
