"""``manage.py import_archive``: the same import from the server, with a progress bar."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from glimpse.imports.models import ArchiveImport
from glimpse.posts.models import Post
from tests.imports.conftest import T2019, T2020, instagram_archive, jpeg, photo_entry

pytestmark = pytest.mark.django_db


def test_the_command_imports_with_a_progress_bar_and_prints_the_report(
    make_user, write_archive
) -> None:
    ana = make_user("ana")
    archive = instagram_archive(
        posts=[
            photo_entry("media/posts/a.jpg", T2019, title="one"),
            photo_entry("media/posts/b.jpg", T2020, title="two"),
        ]
    )
    path = write_archive(archive.add("media/posts/a.jpg", jpeg(1)).bytes())
    out = io.StringIO()
    call_command("import_archive", "@ana", str(path), stdout=out)
    text = out.getvalue()
    assert "\r[###############---------------] 1/2 items" in text
    assert "\r[##############################] 2/2 items" in text
    assert "Imported from instagram: 1 posts, 0 stories (0 already there)." in text
    assert "Skipped Post of 2020-01-02 08:30 (media/posts/b.jpg): " in text
    assert [p.caption for p in Post.objects.filter(author=ana)] == ["one"]
    assert ArchiveImport.objects.get(user=ana).status == "done"


def test_the_command_refuses_an_unknown_account_a_missing_file_and_a_bad_archive(
    make_user, write_archive
) -> None:
    make_user("ana")
    with pytest.raises(CommandError, match="No account is named 'nobody'"):
        call_command("import_archive", "nobody", "x.zip")
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_archive", "ana", "/nonexistent/x.zip")
    with pytest.raises(CommandError, match="This file is not a zip archive"):
        call_command("import_archive", "ana", str(write_archive(b"plain text")))
    assert not ArchiveImport.objects.exists()
