"""``Create`` of a Note: a photo post of another server becomes a post here, a reply a
comment (``remote/posts.py`` says which Notes are stored and why others are not)."""

from __future__ import annotations

from glimpse.federation.incoming.registry import Ignored, Incoming, handles
from glimpse.federation.remote.notes import NoteInvalid, note_parse
from glimpse.federation.remote.posts import NoteRefused, local_follows, note_store


@handles("Create")
def create(incoming: Incoming) -> None:
    """Store the Note a remote account created, if anyone here asked for it."""
    if not isinstance(incoming.object, dict):
        raise Ignored("a Create names its object by id only: nothing is fetched for it")
    try:
        note = note_parse(incoming.object, author_uri=incoming.actor_uri)
        note_store(note=note, author=incoming.actor, wanted=local_follows(incoming.actor))
    except (NoteInvalid, NoteRefused) as error:
        raise Ignored(str(error)) from error
