"""The "Import your posts" section of the settings: upload, progress, report, offers; and an
imported post's page, which says where it came from."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from glimpse.graph import services as graph
from glimpse.imports.models import ArchiveImport
from glimpse.posts.models import Post
from tests.graph.conftest import follow_approved, web_as
from tests.imports.conftest import T2019, T2020, instagram_archive, jpeg, photo_entry

pytestmark = pytest.mark.django_db

SETTINGS = "/accounts/settings/"


def archive_bytes() -> bytes:
    archive = instagram_archive(
        posts=[
            photo_entry("media/posts/a.jpg", T2019, title="old times"),
            photo_entry("media/posts/fake.jpg", T2020),
        ],
        bio="Fot\u00f3grafa",
    )
    archive.add("media/posts/a.jpg", jpeg(1)).add("media/posts/fake.jpg", b"hello")
    return archive.bytes()


def send(client, data: bytes, capture):
    with capture(execute=True):
        return client.post(
            reverse("imports:start"),
            {"archive": SimpleUploadedFile("archive.zip", data, content_type="application/zip")},
        )


def test_upload_then_report_then_use_the_bio(make_user, django_capture_on_commit_callbacks) -> None:
    ana = make_user("ana")
    client = web_as(ana)
    page = client.get(SETTINGS).content.decode()
    assert "Import your posts" in page
    assert 'enctype="multipart/form-data"' in page

    answer = send(client, archive_bytes(), django_capture_on_commit_callbacks)
    assert answer.status_code == 302
    assert answer["Location"] == SETTINGS + "#import"
    page = client.get(SETTINGS).content.decode()
    assert "Imported from Instagram: 1 post, 0 stories." in page
    assert "1 item skipped" in page
    assert "media/posts/fake.jpg: This kind of file is not supported." in page
    assert "Fot\u00f3grafa" in page
    assert "Use this bio" in page
    assert "Use this picture" not in page  # the archive has none

    job = ArchiveImport.objects.get(user=ana)
    used = client.post(reverse("imports:use_bio", args=[job.pk]))
    assert used.status_code == 302
    ana.refresh_from_db()
    assert ana.bio == "Fot\u00f3grafa"
    assert "Use this bio" not in client.get(SETTINGS).content.decode()


def test_the_panel_polls_while_the_import_runs_and_stops_after(make_user) -> None:
    ana = make_user("ana")
    job = ArchiveImport.objects.create(
        user=ana, file_name="imports/x.zip", status="running", progress=37
    )
    client = web_as(ana)
    panel = client.get(reverse("imports:panel")).content.decode()
    assert 'hx-trigger="every 2s"' in panel
    assert 'aria-valuenow="37"' in panel
    ArchiveImport.objects.filter(pk=job.pk).update(
        status="failed", error="This file is not a zip archive."
    )
    panel = client.get(reverse("imports:panel")).content.decode()
    assert "hx-trigger" not in panel
    assert "This file is not a zip archive." in panel


def test_an_oversized_upload_is_a_413_with_the_reason_on_the_page(
    make_user, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GLIMPSE_IMPORT_MAX_BYTES = 1024 * 1024
    ana = make_user("ana")
    answer = send(web_as(ana), bytes(2 * 1024 * 1024), django_capture_on_commit_callbacks)
    assert answer.status_code == 413
    assert "An archive can be at most 1 MB." in answer.content.decode()
    assert not ArchiveImport.objects.exists()


def test_a_file_that_is_not_a_zip_is_a_415_with_the_reason_on_the_page(
    make_user, django_capture_on_commit_callbacks
) -> None:
    ana = make_user("ana")
    answer = send(web_as(ana), jpeg(1), django_capture_on_commit_callbacks)
    assert answer.status_code == 415
    assert "This file is not a zip archive." in answer.content.decode()
    assert not ArchiveImport.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "blocked", "follower"])
def test_nobody_else_uses_an_import_s_offers(
    who, make_user, django_capture_on_commit_callbacks
) -> None:
    ana, other = make_user("ana", bio="mine"), make_user("other", bio="theirs")
    if who == "blocked":
        graph.block_create(blocker=ana, blocked=other)
    elif who == "follower":
        follow_approved(other, ana)
    send(web_as(ana), archive_bytes(), django_capture_on_commit_callbacks)
    job = ArchiveImport.objects.get(user=ana)
    client = web_as(other)
    assert client.post(reverse("imports:use_bio", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:use_picture", args=[job.pk])).status_code == 404
    ana.refresh_from_db()
    other.refresh_from_db()
    assert (ana.bio, other.bio) == ("mine", "theirs")
    job.refresh_from_db()
    assert job.offered_bio == "Fot\u00f3grafa"
    # Their own panel shows none of it.
    assert "Fot\u00f3grafa" not in client.get(SETTINGS).content.decode()


def test_an_imported_post_says_where_it_came_from_with_its_date(
    make_user, django_capture_on_commit_callbacks
) -> None:
    ana = make_user("ana")
    send(web_as(ana), archive_bytes(), django_capture_on_commit_callbacks)
    post = Post.objects.get(author=ana)
    page = web_as(None).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "May 4, 2019" in page
    assert "Imported from Instagram" in page
