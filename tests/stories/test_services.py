"""Posting, limits, expiry, the tray, seen, viewers, reactions, replies and Close Friends."""

from __future__ import annotations

import secrets
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from glimpse.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from glimpse.graph import services as graph
from glimpse.media.models import MediaItem
from glimpse.posts.services import post_create
from glimpse.stories import selectors, services
from glimpse.stories.models import Story, StoryReaction, StoryView
from tests.stories.conftest import block, follow_approved, snapshot

pytestmark = pytest.mark.django_db


def expire(story: Story, seconds: int = 1) -> None:
    """Age a story past its lifetime by ``seconds`` (without running the job)."""
    created = timezone.now() - timedelta(hours=24, seconds=seconds)
    Story.objects.filter(pk=story.pk).update(
        created_at=created, expires_at=created + timedelta(hours=24)
    )


# --- Posting ---------------------------------------------------------------------------------


def test_create_attaches_ready_media_for_a_day(make_user, media_for) -> None:
    author = make_user("olive")
    (media,) = media_for(author)
    story = services.story_create(author=author, media_id=media.pk, caption="  hi  ")
    media.refresh_from_db()
    assert media.attached_at is not None
    assert story.caption == "hi"
    assert story.audience == "everyone"
    assert story.expires_at - story.created_at == timedelta(hours=24)


@pytest.mark.parametrize("problem", ["not_ready", "not_owned", "in_post", "in_story", "missing"])
def test_create_refuses_bad_media_and_writes_nothing(make_user, media_for, problem) -> None:
    author, other = make_user("olive"), make_user("oscar")
    if problem == "not_ready":
        (media,) = media_for(author, ready=False)
    elif problem == "not_owned":
        (media,) = media_for(other)
    else:
        (media,) = media_for(author)
    if problem == "in_post":
        post_create(author=author, media_ids=[media.pk])
    if problem == "in_story":
        services.story_create(author=author, media_id=media.pk)
    media_id = media.pk if problem != "missing" else 999_999
    before = snapshot()
    expected = NotFound if problem in {"not_owned", "missing"} else Conflict
    with pytest.raises(expected):
        services.story_create(author=author, media_id=media_id)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("options", "field"),
    [({"audience": "friends"}, "audience"), ({"caption": "x" * 2201}, "caption")],
)
def test_create_refuses_bad_fields(make_user, media_for, options, field) -> None:
    author = make_user("olive")
    (media,) = media_for(author)
    before = snapshot()
    with pytest.raises(InvalidInput) as error:
        services.story_create(author=author, media_id=media.pk, **options)
    assert field in error.value.fields
    assert snapshot() == before


def test_the_101st_live_story_is_refused(make_user, media_for, settings) -> None:
    author = make_user("olive")
    now = timezone.now()
    # A hundred live stories, made as rows: the limit counts rows, not files.
    media = MediaItem.objects.bulk_create(
        MediaItem(
            owner=author,
            kind="photo",
            status="ready",
            storage_key=secrets.token_hex(16),
            attached_at=now,
        )
        for _ in range(100)
    )
    Story.objects.bulk_create(
        Story(author=author, media=m, expires_at=now + timedelta(hours=1)) for m in media
    )
    (extra,) = media_for(author)
    before = snapshot()
    with pytest.raises(Conflict) as error:
        services.story_create(author=author, media_id=extra.pk)
    assert error.value.code == "too_many_stories"
    assert snapshot() == before
    # An expired story no longer counts.
    oldest = Story.objects.filter(author=author).order_by("pk")[:1]
    Story.objects.filter(pk__in=list(oldest.values_list("pk", flat=True))).update(
        expires_at=now - timedelta(seconds=1)
    )
    services.story_create(author=author, media_id=extra.pk)


# --- Expiry ----------------------------------------------------------------------------------


def test_an_expired_story_is_never_shown_even_without_the_job(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    follow_approved(fan, author)
    story = post_story(author)
    assert [e.account.id for e in selectors.story_tray(viewer=fan)] == [author.pk]
    expire(story)
    assert selectors.story_tray(viewer=fan) == []
    assert selectors.story_tray(viewer=author) == []
    assert selectors.account_stories(viewer=fan, username="olive")[1] == []
    with pytest.raises(NotFound):
        selectors.story_get(viewer=fan, story_id=story.pk)
    with pytest.raises(NotFound):
        services.story_mark_seen(viewer=fan, story_id=story.pk)
    # The author keeps it for the archive.
    assert selectors.story_get(viewer=author, story_id=story.pk).pk == story.pk


def test_the_periodic_job_archives_expired_stories_and_keeps_highlights(
    make_user, post_story
) -> None:
    author = make_user("olive")
    kept, gone, live = post_story(author), post_story(author), post_story(author)
    services.highlight_create(owner=author, title="Trip", story_ids=[kept.pk])
    expire(kept)
    expire(gone)
    out = StringIO()
    call_command("run_periodic_jobs", stdout=out)
    assert "stories-expire: 2" in out.getvalue()
    archived = set(Story.objects.filter(archived=True).values_list("pk", flat=True))
    assert archived == {kept.pk, gone.pk}
    assert Story.objects.get(pk=live.pk).archived is False
    assert MediaItem.objects.filter(pk=kept.media_id).exists()
    # Twice changes nothing.
    assert services.stories_expire() == 0


# --- The tray --------------------------------------------------------------------------------


def test_tray_order_own_first_then_unseen_then_seen(make_user, post_story) -> None:
    me = make_user("mina")
    seen, unseen, muted, stranger = (make_user(n) for n in ("seen", "unseen", "muted", "xavier"))
    for account in (seen, unseen, muted):
        follow_approved(me, account)
    old_unseen = post_story(unseen)
    seen_story = post_story(seen)
    post_story(muted)
    post_story(stranger)  # not followed: not in the tray
    services.story_mark_seen(viewer=me, story_id=seen_story.pk)
    graph.mute_create(muter=me, muted=muted)
    post_story(me)
    tray = selectors.story_tray(viewer=me)
    assert [(e.account.username, e.has_unseen) for e in tray] == [
        ("mina", False),
        ("unseen", True),
        ("seen", False),
    ]
    assert tray[1].latest_id == old_unseen.pk


def test_tray_makes_the_same_number_of_queries_whatever_its_size(make_user, post_story) -> None:
    me = make_user("mina")

    def tray_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            tray = selectors.story_tray(viewer=me)
        return len(queries), len(tray)

    for name in ("amy1", "amy2"):
        account = make_user(name)
        follow_approved(me, account)
        post_story(account)
    small, small_size = tray_queries()
    for name in ("ben1", "ben2", "ben3", "ben4", "ben5"):
        account = make_user(name)
        follow_approved(me, account)
        post_story(account)
        post_story(account, audience="close_friends")
        graph.close_friend_add(owner=account, friend=me)
    large, large_size = tray_queries()
    assert (small_size, large_size) == (2, 7)
    assert small == large
    assert all(e.has_close_friends for e in selectors.story_tray(viewer=me)[:5])


# --- Seen and viewers ------------------------------------------------------------------------


def test_seen_counts_once_and_never_for_the_author(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    story = post_story(author)
    assert services.story_mark_seen(viewer=fan, story_id=story.pk) is True
    assert services.story_mark_seen(viewer=fan, story_id=story.pk) is False
    assert services.story_mark_seen(viewer=author, story_id=story.pk) is False
    story.refresh_from_db()
    assert story.view_count == 1
    assert list(StoryView.objects.values_list("viewer_id", flat=True)) == [fan.pk]
    _, stories = selectors.account_stories(viewer=fan, username="olive")
    assert stories[0].viewer_seen is True


def test_first_unseen_points_past_the_seen_ones(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    first, _second = post_story(author), post_story(author)
    services.story_mark_seen(viewer=fan, story_id=first.pk)
    _, stories = selectors.account_stories(viewer=fan, username="olive")
    assert selectors.first_unseen(stories) == 1


def test_viewers_for_the_author_only_newest_first_without_blocked(make_user, post_story) -> None:
    author, a, b, c = (make_user(n) for n in ("olive", "ann", "bob", "cat"))
    story = post_story(author)
    for viewer in (a, b, c):
        services.story_mark_seen(viewer=viewer, story_id=story.pk)
    block(author, b)
    page, count = selectors.story_viewers(viewer=author, story_id=story.pk)
    assert [v.viewer.username for v in page.items] == ["cat", "ann"]
    assert count == 2
    page, _ = selectors.story_viewers(viewer=author, story_id=story.pk, limit=1)
    assert page.next_max_id is not None
    before = snapshot()
    with pytest.raises(PermissionDenied):
        selectors.story_viewers(viewer=a, story_id=story.pk)
    with pytest.raises(NotFound):
        selectors.story_viewers(viewer=b, story_id=story.pk)
    assert snapshot() == before


# --- Audience --------------------------------------------------------------------------------


def test_close_friends_story_for_the_list_and_the_author_only(make_user, post_story) -> None:
    author, friend, follower = make_user("olive"), make_user("fern"), make_user("felix")
    follow_approved(friend, author)
    follow_approved(follower, author)
    graph.close_friend_add(owner=author, friend=friend)
    story = post_story(author, audience="close_friends")
    assert selectors.story_get(viewer=friend, story_id=story.pk).pk == story.pk
    assert selectors.story_get(viewer=author, story_id=story.pk).pk == story.pk
    with pytest.raises(NotFound):
        selectors.story_get(viewer=follower, story_id=story.pk)
    with pytest.raises(NotFound):
        selectors.story_get(viewer=None, story_id=story.pk)
    assert [e.account.id for e in selectors.story_tray(viewer=friend)] == [author.pk]
    assert selectors.story_tray(viewer=follower) == []
    graph.close_friend_remove(owner=author, friend=friend)
    with pytest.raises(NotFound):
        selectors.story_get(viewer=friend, story_id=story.pk)


def test_close_friends_refuses_self_and_blocked_accounts(make_user) -> None:
    owner, other, blocker = make_user("olive"), make_user("oscar"), make_user("bea")
    block(owner, other)
    block(blocker, owner)
    before = snapshot()
    with pytest.raises(InvalidInput):
        graph.close_friend_add(owner=owner, friend=owner)
    for account in (other, blocker):
        with pytest.raises(NotFound):
            graph.close_friend_add(owner=owner, friend=account)
    assert snapshot() == before


# --- Reactions and replies -------------------------------------------------------------------


def test_reacting_again_replaces_and_bad_emoji_is_refused(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    story = post_story(author)
    first = services.story_react(viewer=fan, story_id=story.pk, emoji="🔥")
    second = services.story_react(viewer=fan, story_id=story.pk, emoji="😍")
    assert first.pk == second.pk
    assert list(StoryReaction.objects.values_list("emoji", flat=True)) == ["😍"]
    before = snapshot()
    with pytest.raises(InvalidInput):
        services.story_react(viewer=fan, story_id=story.pk, emoji="🍕")
    with pytest.raises(PermissionDenied):
        services.story_react(viewer=author, story_id=story.pk, emoji="🔥")
    assert snapshot() == before
    page = selectors.story_reactions(viewer=author, story_id=story.pk)
    assert [r.emoji for r in page.items] == ["😍"]


def test_replies_are_stored_and_listed_to_the_author(make_user, post_story) -> None:
    author, fan = make_user("olive"), make_user("fern")
    story = post_story(author)
    reply = services.story_reply(viewer=fan, story_id=story.pk, text=" so nice ")
    assert reply.text == "so nice"
    assert reply.author == fan
    page = selectors.story_replies(viewer=author, story_id=story.pk)
    assert [r.text for r in page.items] == ["so nice"]
    before = snapshot()
    for text in ("", "x" * 1001):
        with pytest.raises(InvalidInput):
            services.story_reply(viewer=fan, story_id=story.pk, text=text)
    with pytest.raises(PermissionDenied):
        selectors.story_replies(viewer=fan, story_id=story.pk)
    assert snapshot() == before


# --- Deleting --------------------------------------------------------------------------------


def test_delete_removes_story_media_and_highlight_places(make_user, post_story) -> None:
    author, other = make_user("olive"), make_user("oscar")
    a, b = post_story(author), post_story(author)
    highlight = services.highlight_create(owner=author, title="Best", story_ids=[a.pk, b.pk])
    services.highlight_update(owner=author, highlight_id=highlight.pk, cover_story_id=b.pk)
    before = snapshot()
    with pytest.raises(NotFound):
        services.story_delete(actor=other, story_id=b.pk)
    assert snapshot() == before
    services.story_delete(actor=author, story_id=b.pk)
    assert not Story.objects.filter(pk=b.pk).exists()
    assert not MediaItem.objects.filter(pk=b.media_id).exists()
    view = selectors.highlight_get(viewer=author, highlight_id=highlight.pk)
    assert [s.pk for s in view.stories] == [a.pk]
    assert view.cover is not None
    assert view.cover.pk == a.pk
    assert [e.story_count for e in selectors.story_tray(viewer=author)] == [1]
