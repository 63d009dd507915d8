"""Captions and comments: checked against the limits, their hashtags and mentions linked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F

from glimpse.accounts.models import User
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.models import Hashtag, Post, PostHashtag, PostMention
from glimpse.posts.services.common import count_add
from glimpse.posts.services.specs import Problems
from glimpse.posts.text import clean_text, extract_hashtags, extract_mentions


@dataclass(frozen=True)
class ParsedText:
    """A cleaned caption or comment with the hashtags and usernames written in it."""

    text: str
    hashtags: list[str]
    mentions: list[str]


def text_read(
    raw: str, *, field: str, max_length: int, problems: Problems, hashtags: bool = True
) -> ParsedText:
    """Clean a caption or comment and record what breaks a limit (length, tags, mentions)."""
    text = clean_text(raw)
    if len(text) > max_length:
        problems.add(field, f"At most {max_length:,} characters (this has {len(text):,}).")
    tags = extract_hashtags(text) if hashtags else []
    if len(tags) > (most := settings.GLIMPSE_HASHTAGS_MAX):
        problems.add(field, f"At most {most} hashtags (this has {len(tags)}).")
    longest = settings.GLIMPSE_HASHTAG_LENGTH_MAX
    if any(len(tag) > longest for tag in tags):
        problems.add(field, f"A hashtag has at most {longest} characters.")
    mentions = extract_mentions(text)
    if len(mentions) > (most := settings.GLIMPSE_MENTIONS_MAX):
        problems.add(field, f"At most {most} mentions (this has {len(mentions)}).")
    return ParsedText(text=text, hashtags=tags, mentions=mentions)


def mentionable(actor: User, usernames: Sequence[str]) -> list[User]:
    """Return the mentioned accounts that exist and that the actor may see, in order."""
    if not usernames:
        return []
    found = User.objects.filter(accounts_visible_to(actor), username__in=usernames)
    by_name = {user.username: user for user in found}
    return [by_name[name] for name in usernames if name in by_name]


def post_links_set(*, post: Post, parsed: ParsedText, actor: User, live: bool) -> None:
    """Link a post to the hashtags and accounts of its caption; a live post counts in tags."""
    tags = _hashtags_ensure(parsed.hashtags)
    before = set(post.post_hashtags.values_list("hashtag_id", flat=True))
    after = {tag.pk for tag in tags}
    post.post_hashtags.all().delete()
    PostHashtag.objects.bulk_create(
        PostHashtag(post=post, hashtag=tag, position=i) for i, tag in enumerate(tags)
    )
    if live:
        hashtag_counts_add(added=after - before, removed=before - after)
    post.mentions.all().delete()
    PostMention.objects.bulk_create(
        PostMention(post=post, account=account, position=i)
        for i, account in enumerate(mentionable(actor, parsed.mentions))
    )


def hashtag_counts_add(*, added: set[int], removed: set[int]) -> None:
    """Count a post in some hashtags and out of others, locking their rows in id order."""
    touched = sorted(added | removed)
    if not touched:
        return
    # The same order in every transaction: two posts sharing tags cannot deadlock.
    list(Hashtag.objects.select_for_update().filter(pk__in=touched).order_by("pk").values("pk"))
    Hashtag.objects.filter(pk__in=added).update(post_count=F("post_count") + 1)
    count_add(Hashtag.objects.filter(pk__in=removed), "post_count", -1)


def _hashtags_ensure(names: Sequence[str]) -> list[Hashtag]:
    """Return the hashtags of these names in order, creating the missing ones race-free."""
    if not names:
        return []
    existing = {tag.name: tag for tag in Hashtag.objects.filter(name__in=names)}
    missing = sorted(name for name in names if name not in existing)
    if missing:
        # A concurrent post may create the same tags: ignore the conflict, read them back.
        # Sorted, so that two posts inserting the same new tags cannot deadlock.
        Hashtag.objects.bulk_create([Hashtag(name=name) for name in missing], ignore_conflicts=True)
        existing.update({tag.name: tag for tag in Hashtag.objects.filter(name__in=missing)})
    return [existing[name] for name in names]
