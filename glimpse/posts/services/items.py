"""The media items of a post: alt texts and people tags, checked before anything is written."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from django.conf import settings

from glimpse.accounts.models import User
from glimpse.accounts.validators import USERNAME_PATTERN
from glimpse.graph.visibility import accounts_visible_to
from glimpse.posts.models import PeopleTag, Post, PostItem
from glimpse.posts.services.specs import ItemSpec, Problems
from glimpse.posts.text import clean_text

# An account that blocked the author, or that the author blocked, answers like a missing one.
MISSING_ACCOUNT = "No account with this username."


def items_check(
    specs: Mapping[str, ItemSpec], *, actor: User, problems: Problems
) -> dict[str, User]:
    """Check alt texts and people tags (by field path); return the tagged accounts by name."""
    most_tags = settings.GLIMPSE_PEOPLE_TAGS_MAX
    named: dict[str, list[str]] = {}
    for path, spec in specs.items():
        if spec.alt_text is not None and len(clean_text(spec.alt_text)) > (
            most := settings.GLIMPSE_ALT_TEXT_MAX
        ):
            problems.add(f"{path}.alt_text", f"Alt text has at most {most:,} characters.")
        tags = spec.people_tags or ()
        if len(tags) > most_tags:
            problems.add(f"{path}.people_tags", f"At most {most_tags} people per item.")
        seen: set[str] = set()
        for j, tag in enumerate(tags):
            where = f"{path}.people_tags.{j}"
            name = tag.username.strip().removeprefix("@").lower()
            if name in seen:
                problems.add(f"{where}.username", "This account is already tagged on this item.")
            seen.add(name)
            named.setdefault(name, []).append(f"{where}.username")
            for axis, value in (("x", tag.x), ("y", tag.y)):
                if not (math.isfinite(value) and 0 <= value <= 1):
                    problems.add(f"{where}.{axis}", "A position is between 0 and 1.")
    # Only names that could be usernames are looked up (no query with odd bytes in it).
    names = [name for name in named if USERNAME_PATTERN.fullmatch(name)]
    found = {
        user.username: user
        for user in User.objects.filter(accounts_visible_to(actor), username__in=names)
    }
    for name, paths in named.items():
        if name not in found:
            for where in paths:
                problems.add(where, MISSING_ACCOUNT)
    return found


def alt_text(spec: ItemSpec, default: str) -> str:
    """Return the cleaned alt text of a spec, or ``default`` when it gives none."""
    return default if spec.alt_text is None else clean_text(spec.alt_text)


def people_tags_build(
    *, post: Post, item: PostItem, spec: ItemSpec, accounts: Mapping[str, User]
) -> list[PeopleTag]:
    """Return the unsaved people tags a spec puts on an item."""
    return [
        PeopleTag(
            post=post,
            item=item,
            account=accounts[tag.username.strip().removeprefix("@").lower()],
            x=tag.x,
            y=tag.y,
        )
        for tag in spec.people_tags or ()
    ]


def items_snapshot(items: Sequence[PostItem]) -> list[dict[str, object]]:
    """Return what the edit history keeps of items: media, alt text and people tags."""
    return [
        {
            "media_id": str(item.media_id),
            "alt_text": item.alt_text,
            "people_tags": [
                {"username": tag.account.username, "x": tag.x, "y": tag.y}
                for tag in item.people_tags.all()
            ],
        }
        for item in items
    ]
