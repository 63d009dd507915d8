"""An import run twice, killed halfway and run again, or lost with its worker: nothing is
added twice and nothing is left behind."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.utils import timezone

from glimpse.core.errors import Conflict
from glimpse.imports import services
from glimpse.imports.models import ArchiveImport, ImportedItem
from glimpse.media.models import MediaItem
from glimpse.posts.models import Post
from glimpse.privacy.erase import account_erase
from glimpse.stories.models import Story
from tests.imports.conftest import (
    T2019,
    T2020,
    T2021,
    instagram_archive,
    jpeg,
    photo_entry,
)

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """The worker dies: no ``except Exception`` of the job sees it."""


def three_posts_and_a_story() -> bytes:
    archive = instagram_archive(
        posts=[
            photo_entry("media/posts/a.jpg", T2019, title="a"),
            photo_entry("media/posts/b.jpg", T2020, title="b"),
            photo_entry("media/posts/c.jpg", T2021, title="c"),
        ],
        stories=[{"uri": "media/stories/s.jpg", "creation_timestamp": T2020, "title": ""}],
    )
    for seed, name in enumerate(("posts/a.jpg", "posts/b.jpg", "posts/c.jpg", "stories/s.jpg")):
        archive.add(f"media/{name}", jpeg(seed))
    return archive.bytes()


def counts(user) -> tuple[int, int, int, int]:
    return (
        Post.objects.filter(author=user).count(),
        Story.objects.filter(author=user).count(),
        ImportedItem.objects.filter(user=user).count(),
        MediaItem.objects.filter(owner=user).count(),
    )


def test_a_second_import_of_the_same_archive_adds_nothing(make_user, run_import) -> None:
    ana = make_user("ana")
    data = three_posts_and_a_story()
    first = run_import(ana, data)
    assert (first.report["posts"], first.report["stories"]) == (3, 1)
    before = counts(ana)
    assert before == (3, 1, 4, 4)
    again = run_import(ana, data)
    assert again.status == "done"
    assert (again.report["posts"], again.report["stories"], again.report["already"]) == (0, 0, 4)
    assert counts(ana) == before


def test_a_job_killed_halfway_finishes_on_its_next_run_without_doubles(make_user) -> None:
    ana = make_user("ana")
    data = three_posts_and_a_story()
    job = services.archive_import_start(
        user=ana, upload=io.BytesIO(data), size_bytes=len(data), queue=False
    )

    def die_after_two(done: int, total: int) -> None:
        if done == 2:
            raise Killed

    with pytest.raises(Killed):
        services.archive_import_run(import_id=job.pk, progress=die_after_two)
    job.refresh_from_db()
    assert job.status == "running"
    assert counts(ana)[:3] == (2, 0, 2)
    assert default_storage.exists(job.file_name)  # kept for the next run

    assert services.archive_import_run(import_id=job.pk) == "done"

    job.refresh_from_db()
    assert counts(ana) == (3, 1, 4, 4)
    assert job.report["already"] == 2
    assert [p.caption for p in Post.objects.filter(author=ana).order_by("id")] == ["a", "b", "c"]
    assert not default_storage.exists(job.file_name)
    # A finished import is left alone by a late duplicate of its job.
    assert services.archive_import_run(import_id=job.pk) == "done"
    assert counts(ana) == (3, 1, 4, 4)


def test_one_import_at_a_time(make_user) -> None:
    ana = make_user("ana")
    data = three_posts_and_a_story()
    services.archive_import_start(user=ana, upload=io.BytesIO(data), size_bytes=1, queue=False)
    with pytest.raises(Conflict):
        services.archive_import_start(user=ana, upload=io.BytesIO(data), size_bytes=1, queue=False)
    assert ArchiveImport.objects.filter(user=ana).count() == 1


def test_a_lost_import_is_given_up_and_its_archive_deleted(make_user) -> None:
    ana = make_user("ana")
    data = three_posts_and_a_story()
    job = services.archive_import_start(
        user=ana, upload=io.BytesIO(data), size_bytes=len(data), queue=False
    )
    fresh = services.archive_imports_sweep()
    assert fresh == 0
    ArchiveImport.objects.filter(pk=job.pk).update(
        status="running", updated_at=timezone.now() - timedelta(hours=3)
    )
    assert services.archive_imports_sweep() == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert "what was imported already is not added twice" in job.error
    assert not default_storage.exists(job.file_name)


def test_an_erased_account_leaves_no_archive_behind(
    make_user, run_import, run_commit_hooks
) -> None:
    ana = make_user("ana")
    archive = instagram_archive(bio="hi", picture=jpeg(1))
    run_import(ana, archive.bytes())
    folder = Path(django_settings.MEDIA_ROOT) / "imports" / str(ana.pk)
    assert any(folder.iterdir())  # the offered picture
    run_commit_hooks(lambda: account_erase(user=ana))
    assert not folder.exists() or not any(folder.iterdir())


def test_the_sweep_is_scheduled_and_the_jobs_are_known(settings) -> None:
    from config.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "imports.sweep" in tasks
    app.loader.import_default_modules()
    assert {"imports.run", "imports.sweep"} <= set(app.tasks)
