"""Instagram's archive, in both its layouts: posts with their dates, captions, places and alt
text, stories into the story archive, the profile offered, mis-encoded text repaired."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from glimpse.imports.contents import repaired
from glimpse.imports.models import ArchiveImport, ImportedItem
from glimpse.posts.models import Post
from glimpse.stories.models import Story
from glimpse.stories.selectors import story_archive
from tests.imports.conftest import (
    T2019,
    T2020,
    T2021,
    instagram_archive,
    jpeg,
    mis_encoded,
    photo_entry,
    png_bytes,
    post_entry,
)

pytestmark = pytest.mark.django_db


def when(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


@pytest.mark.parametrize("layout", ["old", "new"])
def test_posts_come_in_with_their_dates_captions_and_items_oldest_first(
    layout, make_user, run_import, mp4_bytes
) -> None:
    ana = make_user("ana")
    archive = instagram_archive(
        layout=layout,
        posts=[
            # Newest first, as Instagram writes them.
            post_entry(
                [
                    photo_entry("media/posts/202107/a.jpg", T2021, alt_text="Two dogs"),
                    photo_entry("media/posts/202107/b.png", T2021),
                    photo_entry("media/posts/202107/c.mp4", T2021),
                ],
                T2021,
                "Summer in Lisbon \u2600\ufe0f #sun",
            ),
            # One item, no "media" wrapper, its caption in the item's title.
            photo_entry("media/posts/201905/d.jpg", T2019, title="Caf\u00e9 au lait"),
        ],
    )
    archive.add("media/posts/202107/a.jpg", jpeg(1)).add("media/posts/202107/b.png", png_bytes())
    archive.add("media/posts/202107/c.mp4", mp4_bytes).add("media/posts/201905/d.jpg", jpeg(2))

    job = run_import(ana, archive.bytes())

    assert job.status == ArchiveImport.Status.DONE
    assert job.source == "instagram"
    assert job.report["posts"] == 2
    assert job.report["skipped_count"] == 0
    older, newer = Post.objects.filter(author=ana).order_by("id")
    # The ids keep the original order among the imported posts.
    assert older.created_at == when(T2019)
    assert newer.created_at == when(T2021)
    assert older.caption == "Caf\u00e9 au lait"
    assert newer.caption == "Summer in Lisbon \u2600\ufe0f #sun"
    assert [tag.name for tag in newer.hashtags.all()] == ["sun"]
    kinds = [item.media.kind for item in newer.items.order_by("position")]
    assert kinds == ["photo", "photo", "video"]
    assert newer.items.order_by("position")[0].alt_text == "Two dogs"
    assert all(p.imported_from == "instagram" and p.imported_at for p in (older, newer))
    assert ImportedItem.objects.filter(user=ana, kind="post").count() == 2
    ana.refresh_from_db()
    assert ana.post_count == 2


def test_stories_go_to_the_story_archive_and_never_to_the_tray(
    make_user, run_import, mp4_bytes
) -> None:
    ana = make_user("ana")
    archive = instagram_archive(
        stories=[
            {"uri": "media/stories/202001/s1.jpg", "creation_timestamp": T2020, "title": ""},
            {
                "uri": "media/stories/202107/s2.mp4",
                "creation_timestamp": T2021,
                "title": mis_encoded("\u00c0 bient\u00f4t"),
            },
        ]
    )
    archive.add("media/stories/202001/s1.jpg", jpeg(3))
    archive.add("media/stories/202107/s2.mp4", mp4_bytes)

    job = run_import(ana, archive.bytes())

    assert job.report["stories"] == 2
    stories = list(Story.objects.filter(author=ana).order_by("id"))
    assert [s.created_at for s in stories] == [when(T2020), when(T2021)]
    assert all(s.archived for s in stories)
    assert stories[1].caption == "\u00c0 bient\u00f4t"
    assert not Story.objects.live_to(ana).exists()
    assert [s.pk for s in story_archive(viewer=ana).items] == [s.pk for s in reversed(stories)]


def test_the_bio_and_picture_are_offered_not_applied(make_user, run_import) -> None:
    ana = make_user("ana", bio="My own bio")
    archive = instagram_archive(layout="old", bio="Fot\u00f3grafa \U0001f4f7", picture=jpeg(4))
    job = run_import(ana, archive.bytes())
    ana.refresh_from_db()
    assert ana.bio == "My own bio"
    assert not ana.avatar_version
    assert job.offered_bio == "Fot\u00f3grafa \U0001f4f7"
    assert job.offered_picture


def test_an_archive_inside_a_folder_is_read_the_same(make_user, run_import) -> None:
    ana = make_user("ana")
    archive = instagram_archive(
        root="instagram-ana-2024-05-01/",
        posts=[photo_entry("media/posts/201905/d.jpg", T2019, title="nested")],
    )
    archive.add("media/posts/201905/d.jpg", jpeg(5))
    job = run_import(ana, archive.bytes())
    assert job.report["posts"] == 1
    assert Post.objects.get(author=ana).caption == "nested"


def test_a_place_named_by_the_post_is_kept_but_never_the_photo_s_gps(make_user, run_import) -> None:
    ana = make_user("ana")
    entry = photo_entry("media/posts/201905/d.jpg", T2019, title="here")
    entry["location"] = {"name": mis_encoded("Pra\u00e7a do Com\u00e9rcio")}
    archive = instagram_archive(posts=[entry]).add("media/posts/201905/d.jpg", jpeg(6))
    run_import(ana, archive.bytes())
    post = Post.objects.select_related("place").get(author=ana)
    assert post.place is not None
    assert post.place.name == "Pra\u00e7a do Com\u00e9rcio"
    # The JSON's EXIF latitude and longitude are not taken as the place's position.
    assert post.place.lat is None
    assert post.place.lng is None


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        (mis_encoded("caf\u00e9"), "caf\u00e9"),
        (mis_encoded("S\u00e3o Paulo \u2764\ufe0f"), "S\u00e3o Paulo \u2764\ufe0f"),
        (mis_encoded("\U0001f305\U0001f30a #beach"), "\U0001f305\U0001f30a #beach"),
        (mis_encoded("\u65e5\u672c"), "\u65e5\u672c"),
        ("plain ascii", "plain ascii"),
        # Already right: not Latin-1 at all, or Latin-1 that is not UTF-8 bytes; kept as is.
        ("\u65e5\u672c \U0001f305", "\u65e5\u672c \U0001f305"),
        ("caf\u00e9", "caf\u00e9"),
        (None, ""),
    ],
)
def test_mis_encoded_text_is_repaired_and_right_text_is_kept(written, meant) -> None:
    assert repaired(written) == meant


def test_files_kept_under_the_activity_folder_are_found_by_their_uri(make_user, run_import) -> None:
    ana = make_user("ana")
    archive = instagram_archive(posts=[photo_entry("media/posts/201905/d.jpg", T2019, title="x")])
    archive.add("your_instagram_activity/media/posts/201905/d.jpg", jpeg(7))
    job = run_import(ana, archive.bytes())
    assert job.report["posts"] == 1
    assert job.report["skipped_count"] == 0
