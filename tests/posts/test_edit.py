"""Editing a published post; every edit lands in the history only its author reads."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from glimpse.core.errors import InvalidInput, NotFound, PermissionDenied
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts import selectors, services
from glimpse.posts.models import Hashtag, PeopleTag, Place, PostEdit
from glimpse.posts.services import ItemSpec, PeopleTagSpec, PlaceSpec
from tests.posts.conftest import snapshot

pytestmark = pytest.mark.django_db


def _media_ids(post) -> list[int]:
    return list(post.items.order_by("position").values_list("media_id", flat=True))


def test_caption_edit_relinks_hashtags_and_is_recorded(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana, caption="#old #kept")
    services.post_update(actor=ana, post_id=post.pk, caption="#kept #new")
    post.refresh_from_db()
    assert post.caption == "#kept #new"
    assert post.edited_at is not None
    counts = dict(Hashtag.objects.values_list("name", "post_count"))
    assert counts == {"old": 0, "kept": 1, "new": 1}
    edit = PostEdit.objects.get(post=post)
    assert edit.changes == {"caption": {"before": "#old #kept", "after": "#kept #new"}}


def test_reorder_remove_and_retag_items(make_user, publish, run_commit_hooks) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana, 3)
    first, second, third = _media_ids(post)
    removed = MediaItem.objects.get(pk=second)
    files = [r["path"] for r in removed.renditions]
    assert all(default_storage.exists(f) for f in files)
    run_commit_hooks(
        lambda: services.post_update(
            actor=ana,
            post_id=post.pk,
            media_ids=[third, first],
            items={
                first: ItemSpec(alt_text="The first", people_tags=[PeopleTagSpec("bea", 0.1, 0.2)])
            },
        )
    )
    assert _media_ids(post) == [third, first]
    assert not MediaItem.objects.filter(pk=second).exists()
    assert not any(default_storage.exists(f) for f in files)  # after commit
    item = post.items.get(media_id=first)
    assert item.alt_text == "The first"
    assert [(t.account_id, t.x, t.y) for t in PeopleTag.objects.filter(item=item)] == [
        (bea.pk, 0.1, 0.2)
    ]
    change = PostEdit.objects.get(post=post).changes["items"]
    assert [i["media_id"] for i in change["before"]] == [str(first), str(second), str(third)]
    assert [i["media_id"] for i in change["after"]] == [str(third), str(first)]
    assert change["after"][1]["people_tags"] == [{"username": "bea", "x": 0.1, "y": 0.2}]
    assert change["before"][0] == {"media_id": str(first), "alt_text": "upload", "people_tags": []}
    assert change["after"][1]["alt_text"] == "The first"


def test_tags_can_be_cleared_and_alt_text_kept(make_user, publish) -> None:
    ana, _ = make_user("ana"), make_user("bea")
    post = publish(ana, items=[ItemSpec(alt_text="Keep", people_tags=[PeopleTagSpec("bea", 0, 0)])])
    (media_id,) = _media_ids(post)
    services.post_update(actor=ana, post_id=post.pk, items={media_id: ItemSpec(people_tags=[])})
    assert not PeopleTag.objects.exists()
    assert post.items.get().alt_text == "Keep"


def test_an_alt_text_alone_is_an_edit(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana)
    (media_id,) = _media_ids(post)
    services.post_update(actor=ana, post_id=post.pk, items={media_id: ItemSpec(alt_text="New")})
    assert post.items.get().alt_text == "New"
    (edit,) = PostEdit.objects.filter(post=post)
    assert edit.changes["items"]["before"][0]["alt_text"] == "upload"
    assert edit.changes["items"]["after"][0]["alt_text"] == "New"


def test_place_change_moves_the_counts(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana, place=PlaceSpec(name="Old"))
    services.post_update(actor=ana, post_id=post.pk, place=PlaceSpec(name="New"))
    assert dict(Place.objects.values_list("name", "post_count")) == {"Old": 0, "New": 1}
    services.post_update(actor=ana, post_id=post.pk, place=None)
    assert dict(Place.objects.values_list("name", "post_count")) == {"Old": 0, "New": 0}
    history = [e.changes["place"] for e in PostEdit.objects.filter(post=post).order_by("pk")]
    assert history[0]["before"]["name"] == "Old"
    assert history[0]["after"]["name"] == "New"
    assert history[1]["after"] is None


def test_settings_and_unchanged_values_are_not_edits(make_user, publish) -> None:
    ana = make_user("ana")
    post = publish(ana, caption="same")
    services.post_update(
        actor=ana, post_id=post.pk, caption="same", comments_enabled=False, hide_like_count=True
    )
    post.refresh_from_db()
    assert (post.comments_enabled, post.hide_like_count, post.edited_at) == (False, True, None)
    assert not PostEdit.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"media_ids": []}, "media_ids"),
        ({"media_ids": [1]}, "media_ids"),
        ({"caption": " ".join(f"#t{n}" for n in range(31))}, "caption"),
        ({"items": {1: ItemSpec(alt_text="x")}}, "items.1"),
    ],
)
def test_bad_edits_change_nothing(make_user, publish, change, field) -> None:
    ana = make_user("ana")
    post = publish(ana, 2, caption="before")
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        services.post_update(actor=ana, post_id=post.pk, **{"caption": "after", **change})
    assert field in caught.value.fields
    assert snapshot() == before


def test_tagging_across_a_block_in_an_edit_changes_nothing(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    post = publish(ana)
    graph.block_create(blocker=bea, blocked=ana)
    before = snapshot()
    with pytest.raises(InvalidInput):
        services.post_update(
            actor=ana,
            post_id=post.pk,
            caption="new",
            items={_media_ids(post)[0]: ItemSpec(people_tags=[PeopleTagSpec("bea", 0, 0)])},
        )
    assert snapshot() == before


def test_only_the_author_edits_and_reads_the_history(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea", is_private=True)
    post = publish(ana)
    hidden = publish(bea)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.post_update(actor=bea, post_id=post.pk, caption="mine now")
    with pytest.raises(NotFound):
        services.post_update(actor=ana, post_id=hidden.pk, caption="x")
    assert snapshot() == before
    services.post_update(actor=ana, post_id=post.pk, caption="one")
    services.post_update(actor=ana, post_id=post.pk, caption="two")
    page = selectors.post_edits(viewer=ana, post_id=post.pk)
    assert [e.changes["caption"]["after"] for e in page.items] == ["two", "one"]
    with pytest.raises(PermissionDenied):
        selectors.post_edits(viewer=bea, post_id=post.pk)
    with pytest.raises(NotFound):
        selectors.post_edits(viewer=ana, post_id=hidden.pk)
