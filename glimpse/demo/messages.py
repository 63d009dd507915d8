"""Demo direct messages: ana.lima's inbox with two one-to-ones, the group "Weekend hike"
(a shared post, a reaction and a reply), a reply to her story, and one message request.

Everything goes through the messages services (and the story reply through stories, whose
event puts it in the conversation), as people would do it. Made once: seeding again keeps the
conversations there.
"""

from __future__ import annotations

from collections.abc import Callable

from glimpse.accounts.demo import DEMO_MODERATOR
from glimpse.accounts.models import User
from glimpse.messages import services as messages
from glimpse.messages.models import Conversation, Member, Message
from glimpse.posts.demo import FOLLOWS
from glimpse.posts.models import Post
from glimpse.stories import services as stories
from glimpse.stories.models import Story

GROUP_NAME = "Weekend hike"
OWNER = "ana.lima"


def demo_messages_seed(*, report: Callable[[str], None]) -> int:
    """Fill ana.lima's inbox once; return how many messages were sent."""
    people = {u.username: u for u in User.objects.filter(username__in=[*FOLLOWS, DEMO_MODERATOR])}
    if len(people) < len(FOLLOWS) + 1:
        report("messages: the demo accounts are missing")
        return 0
    ana = people[OWNER]
    if Member.objects.filter(account=ana).exists():
        report("messages: already there")
        return 0
    before = Message.objects.count()
    _request(people)
    _ben(people)
    _story_reply(people)
    _group(people)
    _chloe(people)
    made = Message.objects.count() - before
    report(f"messages: {made} in ana.lima's inbox, group “{GROUP_NAME}”, one request")
    return made


def _request(people: dict[str, User]) -> None:
    """A first message from an account ana does not follow: it waits in her Requests."""
    sam = people[DEMO_MODERATOR]
    conversation = _start(sam, OWNER)
    _say(
        sam,
        conversation,
        "Hi Ana, I'm Sam. I look after the reports on this Glimpse: if something looks "
        "wrong, tap Report and I'll have a look.",
    )


def _ben(people: dict[str, User]) -> None:
    """A one-to-one with ben_okafor, which ana has read to the end."""
    ana, ben = people[OWNER], people["ben_okafor"]
    conversation = _start(ben, OWNER)
    _say(ben, conversation, "Are you still up for Saturday?")
    _say(ana, conversation, "Yes! Bringing the film camera 📷")
    latest = _say(ben, conversation, "Perfect. Pack a jacket, it gets cold up there.")
    messages.message_react(actor=ana, message_id=latest.pk, emoji="👍")
    messages.conversation_read(actor=ana, conversation_id=conversation.pk, message_id=latest.pk)


def _story_reply(people: dict[str, User]) -> None:
    """emi_sato answers ana's live story; the reply lands in their conversation."""
    ana, emi = people[OWNER], people["emi_sato"]
    story = Story.objects.live_to(emi).filter(author=ana).order_by("-pk").first()
    if story is None:
        return
    stories.story_reply(viewer=emi, story_id=story.pk, text="This light is unreal 😍")
    conversation = _start(ana, "emi_sato")
    _say(ana, conversation, "Thank you! Same spot every evening, come along one day.")


def _group(people: dict[str, User]) -> None:
    """The group: ben shares his hike, emi reacts and replies, chloe joins in."""
    ana, ben = people[OWNER], people["ben_okafor"]
    chloe, emi = people["chloe.martin"], people["emi_sato"]
    conversation, _ = messages.conversation_start(
        actor=ana, usernames=["ben_okafor", "chloe.martin", "emi_sato"], name=GROUP_NAME
    )
    _say(ana, conversation, "Who's in for the ridge this weekend?")
    hike = Post.objects.filter(author=ben, caption__startswith="Two days").first()
    if hike is not None:
        shared = messages.message_send(
            actor=ben, conversation_id=conversation.pk, shared_post_id=hike.pk
        )
        messages.message_react(actor=emi, message_id=shared.pk, emoji="🔥")
    else:
        shared = _say(ben, conversation, "Two days, one ridge, zero regrets.")
    _say(chloe, conversation, "Count me in, I'll bring snacks 🥐")
    messages.message_send(
        actor=emi,
        conversation_id=conversation.pk,
        text="That ridge! What time do we leave?",
        reply_to_id=shared.pk,
    )
    _say(ben, conversation, "7:30 at the station.")


def _chloe(people: dict[str, User]) -> None:
    """A one-to-one with chloe.martin, with her latest message still unread."""
    ana, chloe = people[OWNER], people["chloe.martin"]
    conversation = _start(ana, "chloe.martin")
    _say(ana, conversation, "Your croissant story made me hungry.")
    _say(chloe, conversation, "Come by the shop tomorrow, I'll save you two!")


def _start(actor: User, username: str) -> Conversation:
    conversation, _ = messages.conversation_start(actor=actor, usernames=[username])
    return conversation


def _say(sender: User, conversation: Conversation, text: str) -> Message:
    return messages.message_send(actor=sender, conversation_id=conversation.pk, text=text)
