"""``Update`` and ``Delete`` from other servers: of a Note by its author (an edit, a delete of
the post or comment made from it), or of the sending actor itself (its profile read again,
or its account and everything it wrote deleted at once)."""

from __future__ import annotations

from glimpse.federation.incoming.registry import Ignored, Incoming, handles, type_of
from glimpse.federation.models import ActorType
from glimpse.federation.remote.edits import remote_object_delete, remote_object_update
from glimpse.federation.remote.notes import NoteInvalid, note_parse
from glimpse.federation.remote.posts import NoteRefused
from glimpse.federation.remote.resolve import actor_by_uri
from glimpse.privacy.erase import account_erase

ACTOR_TYPES = frozenset(ActorType.values)


@handles("Update")
def update(incoming: Incoming) -> None:
    """Apply an author's edit of a Note, or read the sending actor's profile again."""
    if incoming.object_id == incoming.actor_uri:
        # The embedded copy is not trusted: the actor's own server is asked for it.
        actor_by_uri(incoming.actor_uri, refresh=True)
        return
    if not isinstance(incoming.object, dict):
        raise Ignored("an Update names its object by id only")
    if type_of(incoming.object) in ACTOR_TYPES:
        raise Ignored("an actor may update its own profile only")
    try:
        note = note_parse(incoming.object, author_uri=incoming.actor_uri)
        remote_object_update(note=note, author=incoming.actor)
    except (NoteInvalid, NoteRefused) as error:
        raise Ignored(str(error)) from error


@handles("Delete")
def delete(incoming: Incoming) -> None:
    """Delete a post or comment at its author's request, or the sending actor's account."""
    uri = incoming.object_id
    if uri is None:
        raise Ignored("the Delete names no object")
    if uri == incoming.actor_uri:
        account_erase(user=incoming.actor)
        return
    try:
        remote_object_delete(uri=uri, author=incoming.actor)
    except NoteRefused as error:
        raise Ignored(str(error)) from error
