"""Direct messages' services and selectors: conversations, requests, messages and their rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import InvalidInput, NotFound, PermissionDenied, RateLimited
from glimpse.messages import selectors, services
from glimpse.messages.badge import unread_badge
from glimpse.messages.models import Conversation, Member, Message, MessageReaction
from glimpse.messages.presenters import message_views, thread_views
from tests.messages.conftest import block, friends, send, snapshot, start

pytestmark = pytest.mark.django_db


def inbox_ids(viewer: User, *, requests: bool = False) -> list[int]:
    """Return the ids of the viewer's inbox (or requests), in order."""
    page = selectors.inbox(viewer=viewer, requests=requests)
    return [thread.conversation.pk for thread in page.threads]


def texts(viewer: User, conversation: Conversation) -> list[str]:
    """Return the texts of a conversation's messages as the viewer reads them, newest first."""
    page = selectors.messages_page(viewer=viewer, conversation_id=conversation.pk)
    return [message.text for message in page.messages]


class TestStarting:
    def test_a_one_to_one_is_made_once_whoever_starts_it(self, ana: User, bob: User) -> None:
        friends(ana, bob)
        first, created = services.conversation_start(actor=ana, usernames=["bob"])
        again, created_again = services.conversation_start(actor=bob, usernames=["@ANA"])
        assert created
        assert not created_again
        assert again.pk == first.pk
        assert first.kind == Conversation.Kind.DIRECT
        assert Conversation.objects.count() == 1

    def test_a_stranger_lands_in_requests_and_a_follower_in_the_inbox(
        self, ana: User, bob: User, cleo: User
    ) -> None:
        friends(ana, cleo)
        to_bob = start(ana, bob)  # bob doesn't follow ana
        to_cleo = start(ana, cleo)
        send(ana, to_bob)
        send(ana, to_cleo)
        assert inbox_ids(bob) == []
        assert inbox_ids(bob, requests=True) == [to_bob.pk]
        assert inbox_ids(cleo) == [to_cleo.pk]
        assert selectors.requests_count(viewer=bob) == 1
        # The sender's own side is never a request.
        assert inbox_ids(ana) == [to_cleo.pk, to_bob.pk]

    def test_a_request_is_accepted_and_then_can_be_answered(self, ana: User, bob: User) -> None:
        conversation = start(ana, bob)
        send(ana, conversation)
        before = snapshot()
        with pytest.raises(PermissionDenied):
            send(bob, conversation, "hi")
        assert snapshot() == before
        services.conversation_update(actor=bob, conversation_id=conversation.pk, accepted=True)
        send(bob, conversation, "hi")
        assert inbox_ids(bob) == [conversation.pk]
        assert texts(ana, conversation) == ["hi", "hello"]

    @pytest.mark.parametrize("allow_from", ["following", "nobody"])
    def test_who_may_message_you_is_a_setting(self, ana: User, bob: User, allow_from: str) -> None:
        services.messaging_settings_update(account=bob, allow_from=allow_from)
        before = snapshot()
        with pytest.raises(PermissionDenied) as refused:
            start(ana, bob)
        assert "bob" in refused.value.message
        assert snapshot() == before

    def test_following_lets_in_the_people_you_follow(self, ana: User, bob: User) -> None:
        services.messaging_settings_update(account=bob, allow_from="following")
        friends(bob, ana)
        assert start(ana, bob).kind == "direct"

    def test_new_conversations_with_strangers_are_limited_per_day(
        self, ana: User, make_user, settings
    ) -> None:
        settings.GLIMPSE_MESSAGE_REQUESTS_PER_DAY = 2
        strangers = [make_user(f"stranger{n}") for n in range(3)]
        start(ana, strangers[0])
        start(ana, strangers[1])
        before = snapshot()
        with pytest.raises(RateLimited) as refused:
            start(ana, strangers[2])
        assert 0 < refused.value.retry_after <= 24 * 3600 + 1
        assert snapshot() == before

    def test_unknown_blocked_and_closed_accounts_cannot_be_named(
        self, ana: User, bob: User, cleo: User, dan: User
    ) -> None:
        block(bob, ana)
        dan.is_active = False
        dan.save()
        before = snapshot()
        for names in (["nobody-here"], ["bob"], ["dan"], ["ana"], []):
            with pytest.raises(InvalidInput):
                services.conversation_start(actor=ana, usernames=names)
        assert snapshot() == before

    def test_a_group_has_at_most_its_members(self, ana: User, make_user, settings) -> None:
        settings.GLIMPSE_GROUP_MEMBERS_MAX = 3
        others = [make_user(f"friend{n}") for n in range(3)]
        friends(ana, *others)
        before = snapshot()
        with pytest.raises(InvalidInput):
            start(ana, *others)
        assert snapshot() == before
        group = start(ana, *others[:2])
        assert group.kind == "group"
        with pytest.raises(InvalidInput):
            services.members_add(actor=ana, conversation_id=group.pk, usernames=["friend2"])

    def test_a_named_conversation_with_one_account_is_a_group(self, ana: User, bob: User) -> None:
        friends(ana, bob)
        group = start(ana, bob, name="  Trip   plans ")
        assert group.kind == "group"
        assert group.name == "Trip plans"
        assert start(ana, bob).pk != group.pk  # the one-to-one is its own


class TestGroups:
    @pytest.fixture
    def group(self, ana: User, bob: User, cleo: User) -> Conversation:
        friends(ana, bob, cleo)
        return start(ana, bob, cleo, name="Hike")

    def test_the_starter_is_its_admin_and_admins_manage_members(
        self, group: Conversation, ana: User, bob: User, cleo: User, dan: User
    ) -> None:
        friends(ana, dan)
        before = snapshot()
        with pytest.raises(PermissionDenied):
            services.members_add(actor=bob, conversation_id=group.pk, usernames=["dan"])
        with pytest.raises(PermissionDenied):
            services.member_remove(actor=bob, conversation_id=group.pk, username="cleo")
        assert snapshot() == before
        services.members_add(actor=ana, conversation_id=group.pk, usernames=["dan"])
        services.member_remove(actor=ana, conversation_id=group.pk, username="cleo")
        thread = selectors.thread_get(viewer=ana, conversation_id=group.pk)
        assert [m.account_id for m in thread.others] == [bob.pk, dan.pk]
        with pytest.raises(NotFound):
            selectors.thread_get(viewer=cleo, conversation_id=group.pk)

    def test_a_new_member_reads_from_when_it_joined(
        self, group: Conversation, ana: User, dan: User
    ) -> None:
        friends(ana, dan)
        send(ana, group, "before dan")
        services.members_add(actor=ana, conversation_id=group.pk, usernames=["dan"])
        send(ana, group, "welcome dan")
        assert texts(dan, group) == ["welcome dan"]

    def test_leaving_hands_the_group_to_the_longest_standing_member(
        self, group: Conversation, ana: User, bob: User
    ) -> None:
        services.conversation_leave(actor=ana, conversation_id=group.pk)
        assert Member.objects.get(conversation=group, account=bob).role == Member.Role.ADMIN
        with pytest.raises(NotFound):
            send(ana, group, "still here?")
        assert inbox_ids(ana) == []

    def test_any_member_renames_it_and_a_one_to_one_has_no_name(
        self, group: Conversation, ana: User, bob: User
    ) -> None:
        services.conversation_update(actor=bob, conversation_id=group.pk, name="Hike 2")
        group.refresh_from_db()
        assert group.name == "Hike 2"
        direct = start(ana, bob)
        with pytest.raises(InvalidInput):
            services.conversation_update(actor=ana, conversation_id=direct.pk, name="Us")

    def test_a_block_hides_each_others_messages_in_a_group(
        self, group: Conversation, ana: User, bob: User, cleo: User
    ) -> None:
        send(bob, group, "from bob")
        send(cleo, group, "from cleo")
        block(cleo, bob)
        assert texts(cleo, group) == ["from cleo"]
        assert texts(bob, group) == ["from bob"]
        assert texts(ana, group) == ["from cleo", "from bob"]


class TestMessages:
    @pytest.fixture
    def pair(self, ana: User, bob: User) -> Conversation:
        friends(ana, bob)
        return start(ana, bob)

    def test_text_is_checked_and_nothing_empty_is_sent(self, pair: Conversation, ana: User) -> None:
        before = snapshot()
        for text in ("", "   ", "x" * 1001):
            with pytest.raises(InvalidInput):
                send(ana, pair, text)
        assert snapshot() == before
        assert send(ana, pair, "x" * 1000).text == "x" * 1000

    def test_photos_and_videos_go_through_the_media_pipeline(
        self, pair: Conversation, ana: User, bob: User, media_for
    ) -> None:
        photo, clip = media_for(ana)[0], media_for(ana, video=True)[0]
        message = send(ana, pair, "", media_ids=[photo.pk, clip.pk])
        shown = message_views(
            [selectors.message_for(viewer=bob, message_id=message.pk)], viewer_id=bob.pk
        )[0]
        assert [item.kind for item in shown.media] == ["photo", "video"]
        assert all(item.renditions for item in shown.media)

    def test_someone_elses_media_cannot_be_sent(
        self, pair: Conversation, ana: User, bob: User, media_for
    ) -> None:
        (theirs,) = media_for(bob)
        before = snapshot()
        with pytest.raises(NotFound):
            send(ana, pair, "", media_ids=[theirs.pk])
        assert snapshot() == before

    def test_a_shared_private_post_is_unavailable_to_a_member_who_may_not_see_it(
        self, ana: User, bob: User, cleo: User, publish
    ) -> None:
        friends(ana, bob)
        friends(ana, cleo)  # bob doesn't follow cleo, who is private
        cleo.is_private = True
        cleo.save()
        post = publish(cleo)
        group = start(ana, bob, cleo, name="Three")
        message = send(ana, group, "look", shared_post_id=post.pk)
        for viewer, available in ((ana, True), (bob, False), (cleo, True)):
            hydrated = selectors.message_for(viewer=viewer, message_id=message.pk)
            shared = message_views([hydrated], viewer_id=viewer.pk)[0].shared
            assert shared is not None
            assert shared.kind == "post"
            assert shared.available is available
            assert (shared.post is not None) is available

    def test_only_what_the_sender_may_see_can_be_shared(
        self, pair: Conversation, ana: User, cleo: User, publish
    ) -> None:
        cleo.is_private = True
        cleo.save()
        post = publish(cleo)
        before = snapshot()
        with pytest.raises(NotFound):
            send(ana, pair, "", shared_post_id=post.pk)
        with pytest.raises(InvalidInput):
            send(ana, pair, "", shared_post_id=post.pk, shared_username="cleo")
        assert snapshot() == before
        message = send(ana, pair, "", shared_username="cleo")
        assert message.shared_kind == "profile"

    def test_a_reply_quotes_its_message_and_survives_its_unsending(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        first = send(ana, pair, "first")
        answer = send(bob, pair, "answer", reply_to_id=first.pk)
        view = message_views(
            [selectors.message_for(viewer=ana, message_id=answer.pk)], viewer_id=ana.pk
        )[0]
        assert view.reply_to is not None
        assert view.reply_to.preview == "first"
        services.message_unsend(actor=ana, message_id=first.pk)
        view = message_views(
            [selectors.message_for(viewer=ana, message_id=answer.pk)], viewer_id=ana.pk
        )[0]
        assert view.reply_to is None
        assert view.replied_unavailable

    def test_a_reply_must_be_to_a_message_of_the_same_conversation(
        self, pair: Conversation, ana: User, cleo: User
    ) -> None:
        friends(ana, cleo)
        elsewhere = send(ana, start(ana, cleo), "elsewhere")
        with pytest.raises(NotFound):
            send(ana, pair, "answer", reply_to_id=elsewhere.pk)

    def test_edit_within_the_window_by_the_sender_only(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        message = send(ana, pair, "helo")
        with pytest.raises(PermissionDenied):
            services.message_edit(actor=bob, message_id=message.pk, text="hacked")
        services.message_edit(actor=ana, message_id=message.pk, text="hello")
        message.refresh_from_db()
        assert message.text == "hello"
        assert message.edited_at is not None
        Message.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(minutes=16)
        )
        before = snapshot()
        with pytest.raises(PermissionDenied):
            services.message_edit(actor=ana, message_id=message.pk, text="too late")
        assert snapshot() == before

    def test_unsend_is_gone_for_everyone_with_its_files(
        self, pair: Conversation, ana: User, bob: User, media_for
    ) -> None:
        (photo,) = media_for(ana)
        message = send(ana, pair, "oops", media_ids=[photo.pk])
        with pytest.raises(PermissionDenied):
            services.message_unsend(actor=bob, message_id=message.pk)
        services.message_unsend(actor=ana, message_id=message.pk)
        assert texts(bob, pair) == []
        assert texts(ana, pair) == []
        assert not Message.objects.filter(pk=message.pk).exists()
        from glimpse.media.models import MediaItem

        assert not MediaItem.objects.filter(pk=photo.pk).exists()

    def test_one_reaction_per_member_replaced_by_the_next(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        message = send(ana, pair)
        services.message_react(actor=bob, message_id=message.pk, emoji="❤️")
        services.message_react(actor=bob, message_id=message.pk, emoji="😂")
        services.message_react(actor=ana, message_id=message.pk, emoji="😂")
        view = message_views(
            [selectors.message_for(viewer=bob, message_id=message.pk)], viewer_id=bob.pk
        )[0]
        assert [(r.emoji, r.count, r.mine) for r in view.reactions] == [("😂", 2, True)]
        before = snapshot()
        for emoji in ("", "abc", "x" * 20):
            with pytest.raises(InvalidInput):
                services.message_react(actor=bob, message_id=message.pk, emoji=emoji)
        assert snapshot() == before
        services.message_unreact(actor=bob, message_id=message.pk)
        assert MessageReaction.objects.filter(message=message).count() == 1


class TestReadingAndDeleting:
    @pytest.fixture
    def pair(self, ana: User, bob: User) -> Conversation:
        friends(ana, bob)
        return start(ana, bob)

    def test_unread_counts_and_the_badge_follow_reading(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        send(ana, pair, "one")
        last = send(ana, pair, "two")
        (thread,) = selectors.inbox(viewer=bob).threads
        assert thread.unread == 2
        assert unread_badge(viewer=bob) == 1
        assert unread_badge(viewer=ana) == 0  # one's own messages are read
        services.conversation_read(actor=bob, conversation_id=pair.pk, message_id=last.pk)
        assert unread_badge(viewer=bob) == 0
        assert selectors.inbox(viewer=bob).threads[0].unread == 0

    def test_a_muted_conversation_leaves_the_badge(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        send(ana, pair)
        services.conversation_update(actor=bob, conversation_id=pair.pk, muted=True)
        assert unread_badge(viewer=bob) == 0
        assert selectors.inbox(viewer=bob).threads[0].unread == 1

    def test_read_marks_show_only_with_receipts_on_both_sides(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        message = send(ana, pair)
        services.conversation_read(actor=bob, conversation_id=pair.pk, message_id=message.pk)
        thread = selectors.thread_get(viewer=ana, conversation_id=pair.pk)
        assert selectors.read_marks(viewer=ana, thread=thread) == {bob.pk: message.pk}
        services.messaging_settings_update(account=bob, read_receipts=False)
        assert selectors.read_marks(viewer=ana, thread=thread) == {}
        services.messaging_settings_update(account=bob, read_receipts=True)
        services.messaging_settings_update(account=ana, read_receipts=False)
        assert selectors.read_marks(viewer=ana, thread=thread) == {}

    def test_a_request_shows_no_read_mark_until_accepted(self, ana: User, bob: User) -> None:
        conversation = start(ana, bob)
        message = send(ana, conversation)
        services.conversation_read(
            actor=bob, conversation_id=conversation.pk, message_id=message.pk
        )
        thread = selectors.thread_get(viewer=ana, conversation_id=conversation.pk)
        assert selectors.read_marks(viewer=ana, thread=thread) == {}

    def test_delete_for_me_until_a_new_message_without_the_old_ones(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        send(ana, pair, "old")
        services.conversation_delete_for_me(actor=bob, conversation_id=pair.pk)
        assert inbox_ids(bob) == []
        assert texts(bob, pair) == []
        assert texts(ana, pair) == ["old"]
        send(ana, pair, "new")
        assert inbox_ids(bob) == [pair.pk]
        assert texts(bob, pair) == ["new"]

    def test_a_block_ends_a_one_to_one_both_ways_and_stops_new_ones(
        self, pair: Conversation, ana: User, bob: User
    ) -> None:
        send(ana, pair)
        block(bob, ana)
        for viewer in (ana, bob):
            assert inbox_ids(viewer) == []
            with pytest.raises(NotFound):
                selectors.messages_page(viewer=viewer, conversation_id=pair.pk)
        before = snapshot()
        with pytest.raises(NotFound):
            send(ana, pair, "are you there?")
        with pytest.raises(InvalidInput):
            start(ana, bob)
        assert snapshot() == before


class TestStoryAnswers:
    @pytest.fixture
    def story(self, bob: User, media_for):
        from glimpse.stories import services as stories

        (media,) = media_for(bob, shape="story")
        return stories.story_create(author=bob, media_id=media.pk)

    def test_a_reply_and_a_reaction_arrive_in_the_conversation_with_the_story(
        self, story, ana: User, bob: User, django_capture_on_commit_callbacks
    ) -> None:
        from glimpse.stories import services as stories

        friends(ana, bob)
        with django_capture_on_commit_callbacks(execute=True):
            stories.story_reply(viewer=ana, story_id=story.pk, text="Where is this?")
        with django_capture_on_commit_callbacks(execute=True):
            stories.story_react(viewer=ana, story_id=story.pk, emoji="🔥")
        (thread,) = selectors.inbox(viewer=bob).threads
        page = selectors.messages_page(viewer=bob, conversation_id=thread.conversation.pk)
        views = message_views(page.messages, viewer_id=bob.pk)
        assert [(v.kind, v.text) for v in views] == [
            ("story_reaction", "🔥"),
            ("story_reply", "Where is this?"),
        ]
        assert all(v.shared and v.shared.available and v.shared.story for v in views)
        assert thread_views([thread], viewer_id=bob.pk)[0].preview == "Reacted 🔥 to a story"

    def test_a_reply_from_a_stranger_lands_in_requests(
        self, story, ana: User, bob: User, django_capture_on_commit_callbacks
    ) -> None:
        from glimpse.stories import services as stories

        with django_capture_on_commit_callbacks(execute=True):
            stories.story_reply(viewer=ana, story_id=story.pk, text="Nice")
        assert inbox_ids(bob) == []
        assert len(inbox_ids(bob, requests=True)) == 1

    def test_an_author_taking_no_messages_keeps_the_reply_in_the_story_only(
        self, story, ana: User, bob: User, django_capture_on_commit_callbacks
    ) -> None:
        from glimpse.stories import services as stories
        from glimpse.stories.models import StoryReply

        services.messaging_settings_update(account=bob, allow_from="nobody")
        with django_capture_on_commit_callbacks(execute=True):
            stories.story_reply(viewer=ana, story_id=story.pk, text="Nice")
        assert StoryReply.objects.filter(story=story).count() == 1
        assert Message.objects.count() == 0
