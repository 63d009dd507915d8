"""Direct messages in people's own data: what "Download your data" holds of them, and what
erasing an account takes away (its own messages, media, reactions and memberships) and
leaves to the others (theirs, with the erased account shown as "Glimpse user")."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.storage import default_storage

from glimpse.accounts.models import User
from glimpse.media.models import MediaItem
from glimpse.media.selectors import media_original_path
from glimpse.messages import services as messages
from glimpse.messages.models import (
    Conversation,
    Member,
    Message,
    MessageMedia,
    MessageReaction,
)
from glimpse.messages.presenters import DELETED_NAME
from glimpse.privacy import archive, erase
from glimpse.privacy.models import StorageSweep
from glimpse.stories import services as stories
from tests.messages.conftest import friends, send, start
from tests.privacy.conftest import api_as, open_zip, stored_files

pytestmark = pytest.mark.django_db


def talk(starter: User, *others: User, name: str = "") -> Conversation:
    """Start a conversation among accounts that all follow each other (no Requests)."""
    friends(starter, *others)
    return start(starter, *others, name=name)


def archive_of(user: User) -> Any:
    """Write the account's archive in memory and open it."""
    data = io.BytesIO()
    archive.archive_write(user=user, target=data, progress=lambda _: None)
    return open_zip(data.getvalue())


def original_bytes(item: MediaItem) -> bytes:
    path = media_original_path(item)
    assert path
    with default_storage.open(path, "rb") as stored:
        return bytes(stored.read())


def test_the_archive_holds_the_conversations_and_only_the_messages_the_account_sent(
    make_user, publish, media_for, post_story, run_commit_hooks
) -> None:
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    direct = talk(ana, ben)
    group = talk(ben, ana, cleo, name="Weekend hike")
    hike = publish(ben, caption="the ridge")
    story = post_story(ben)
    first = send(ana, direct, "hello ben")
    theirs = send(ben, direct, "ben's own words")
    [photo] = media_for(ana)
    with_photo = send(ana, group, "the view", media_ids=[photo.pk])
    shared = send(ana, group, shared_post_id=hike.pk)
    answer = send(ana, direct, "sure", reply_to_id=theirs.pk)
    messages.message_edit(actor=ana, message_id=first.pk, text="hello, ben")
    run_commit_hooks(lambda: stories.story_reply(viewer=ana, story_id=story.pk, text="wow"))
    reply = Message.objects.get(sender=ana, kind="story_reply")

    zipped = archive_of(ana)
    assert "messages.json" in zipped.read("README.txt").decode()
    document = json.loads(zipped.read("messages.json"))
    assert document["conversations"] == [
        {
            "id": str(direct.pk),
            "kind": "direct",
            "name": "",
            "members": ["ben"],
            "your_state": "active",
            "your_role": "member",
            "joined_at": document["conversations"][0]["joined_at"],
        },
        {
            "id": str(group.pk),
            "kind": "group",
            "name": "Weekend hike",
            "members": ["ben", "cleo"],
            "your_state": "active",
            "your_role": "member",
            "joined_at": document["conversations"][1]["joined_at"],
        },
    ]
    sent = document["messages"]
    assert [m["id"] for m in sent] == [
        str(m.pk) for m in (first, with_photo, shared, answer, reply)
    ]
    assert "ben's own words" not in zipped.read("messages.json").decode()
    by_id = {m["id"]: m for m in sent}
    edited = by_id[str(first.pk)]
    assert (edited["text"], edited["conversation_id"]) == ("hello, ben", str(direct.pk))
    first.refresh_from_db()
    assert first.edited_at is not None
    assert edited["created_at"] == first.created_at.isoformat()
    assert edited["edited_at"] == first.edited_at.isoformat()
    assert (edited["kind"], edited["shared"], edited["reply_to"], edited["media"]) == (
        "message",
        None,
        None,
        [],
    )
    [item] = by_id[str(with_photo.pk)]["media"]
    assert item["kind"] == "photo"
    assert item["file"].startswith(f"media/messages/{with_photo.pk}/0.")
    assert zipped.read(item["file"]) == original_bytes(photo)
    assert by_id[str(shared.pk)]["shared"] == {"kind": "post", "id": str(hike.pk)}
    assert by_id[str(answer.pk)]["reply_to"] == str(theirs.pk)
    assert by_id[str(reply.pk)]["kind"] == "story_reply"
    assert by_id[str(reply.pk)]["shared"] == {"kind": "story", "id": str(story.pk)}
    # Nothing of the others': ben's post and story pictures are not in ana's archive.
    assert [n for n in zipped.namelist() if n.startswith("media/")] == [item["file"]]

    bens = json.loads(archive_of(ben).read("messages.json"))
    assert [m["text"] for m in bens["messages"]] == ["ben's own words"]
    assert {c["your_role"] for c in bens["conversations"]} == {"member", "admin"}


def test_an_account_with_no_messages_has_an_empty_document(make_user) -> None:
    zipped = archive_of(make_user("ana"))
    assert json.loads(zipped.read("messages.json")) == {"conversations": [], "messages": []}


@pytest.fixture
def chats(make_user, media_for) -> dict[str, Any]:
    """Ana, Ben and Cleo: a one-to-one of Ana and Ben, a group Ana runs with both, photos,
    reactions both ways and a reply to one of Ana's messages."""
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    direct = talk(ana, ben)
    group = talk(ana, ben, cleo, name="Weekend hike")
    [anas_photo] = media_for(ana)
    [bens_photo] = media_for(ben)
    anas = [
        send(ana, direct, "ana in private"),
        send(ana, direct, "", media_ids=[anas_photo.pk]),
        send(ana, group, "ana to the group"),
    ]
    bens = [
        send(ben, direct, "ben in private", media_ids=[bens_photo.pk]),
        send(ben, group, "ben to the group"),
    ]
    cleos = [send(cleo, group, "cleo answers ana", reply_to_id=anas[2].pk)]
    messages.message_react(actor=ben, message_id=anas[0].pk, emoji="❤️")
    messages.message_react(actor=ana, message_id=bens[0].pk, emoji="😂")
    messages.message_react(actor=cleo, message_id=bens[1].pk, emoji="👍")
    return {
        "ana": ana,
        "ben": ben,
        "cleo": cleo,
        "direct": direct,
        "group": group,
        "anas": anas,
        "bens": bens,
        "cleos": cleos,
        "anas_photo": anas_photo,
        "bens_photo": bens_photo,
    }


def test_erasing_removes_exactly_the_account_s_messages_media_reactions_and_memberships(
    chats, run_commit_hooks
) -> None:
    ana, ben, cleo = chats["ana"], chats["ben"], chats["cleo"]
    before = stored_files()
    anas_key, bens_key = chats["anas_photo"].storage_key, chats["bens_photo"].storage_key
    assert any(f.startswith(f"media/{anas_key}/") for f in before)
    others = sorted(m.pk for m in (*chats["bens"], *chats["cleos"]))

    run_commit_hooks(lambda: erase.account_erase(user=ana))

    assert not Message.objects.filter(sender_id=ana.pk).exists()
    assert sorted(Message.objects.values_list("pk", flat=True)) == others
    assert not MessageMedia.objects.filter(message_id__in=[m.pk for m in chats["anas"]]).exists()
    assert list(MessageMedia.objects.values_list("media_id", flat=True)) == [chats["bens_photo"].pk]
    assert not MediaItem.objects.filter(owner_id=ana.pk).exists()
    assert not MessageReaction.objects.filter(account_id=ana.pk).exists()
    assert sorted(MessageReaction.objects.values_list("account_id", "emoji")) == [(cleo.pk, "👍")]
    assert not Member.objects.filter(account_id=ana.pk).exists()
    assert Member.objects.filter(conversation=chats["direct"]).count() == 1
    roles = dict(
        Member.objects.filter(conversation=chats["group"]).values_list("account_id", "role")
    )
    assert roles == {ben.pk: "admin", cleo.pk: "member"}  # the group keeps an admin
    after = stored_files()
    assert not any(anas_key in f for f in after)
    assert any(f.startswith(f"media/{bens_key}/") for f in after)
    assert after == {f for f in before if anas_key not in f and f"/{ana.pk}/" not in f}
    assert not StorageSweep.objects.exists()


def test_the_others_keep_their_messages_and_see_glimpse_user(chats, run_commit_hooks) -> None:
    ben, cleo = chats["ben"], chats["cleo"]
    direct, group = chats["direct"], chats["group"]
    run_commit_hooks(lambda: erase.account_erase(user=chats["ana"]))

    client = api_as(ben)
    one = client.get(f"conversations/{direct.pk}")
    assert one.status_code == 200, one.content
    assert (one.json()["title"], one.json()["members"]) == (DELETED_NAME, [])
    listed = client.get(f"conversations/{direct.pk}/messages").json()["items"]
    assert [m["text"] for m in listed] == ["ben in private"]
    assert listed[0]["reactions"] == []  # ana's reaction went with her
    assert len(listed[0]["media"]) == 1
    inbox = client.get("conversations").json()["items"]
    titles = {item["id"]: item["title"] for item in inbox}
    assert titles == {str(direct.pk): DELETED_NAME, str(group.pk): "Weekend hike"}
    before = Message.objects.count()
    sent = client.post(f"conversations/{direct.pk}/messages", {"text": "are you there?"})
    assert sent.status_code == 403
    assert sent.json()["error"]["code"] == "account_gone"
    assert Message.objects.count() == before

    in_group = api_as(cleo).get(f"conversations/{group.pk}/messages").json()["items"]
    assert [m["text"] for m in in_group] == ["cleo answers ana", "ben to the group"]
    assert (in_group[0]["reply_to"], in_group[0]["reply_unavailable"]) == (None, True)
    group_view = api_as(cleo).get(f"conversations/{group.pk}").json()
    assert [m["account"]["username"] for m in group_view["members"]] == ["ben"]
    assert api_as(cleo).get(f"conversations/{direct.pk}").status_code == 404


def test_the_others_unread_counts_lose_the_erased_account_s_messages(
    chats, run_commit_hooks
) -> None:
    ana, ben, cleo = chats["ana"], chats["ben"], chats["cleo"]
    send(ana, chats["direct"], "are you coming?")
    send(ana, chats["group"], "who is coming?")
    send(cleo, chats["group"], "me")
    client = api_as(ben)
    assert client.get("conversations/unread").json()["count"] == 2
    run_commit_hooks(lambda: erase.account_erase(user=ana))
    # The one-to-one held only ana's unread messages; the group still has cleo's.
    assert client.get("conversations/unread").json()["count"] == 1


def test_a_conversation_whose_members_are_all_erased_is_deleted(
    make_user, run_commit_hooks
) -> None:
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    direct = talk(ana, ben)
    kept = talk(ana, cleo)
    send(ana, direct, "hi")
    send(ben, direct, "hello")
    run_commit_hooks(lambda: erase.account_erase(user=ana))
    assert Conversation.objects.filter(pk=direct.pk).exists()
    run_commit_hooks(lambda: erase.account_erase(user=ben))
    assert not Conversation.objects.filter(pk=direct.pk).exists()
    assert not Message.objects.exists()
    assert Conversation.objects.filter(pk=kept.pk).exists()
