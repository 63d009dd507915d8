"""Characters no text field accepts, found once for every way text comes in.

PostgreSQL cannot store a NUL character in text or JSON (psycopg refuses the query), so a
NUL anywhere in a request is refused before it reaches a query: the API names the field
(422), web pages answer 400. Bidirectional overrides and invisible characters are refused
where a name must look like what it is (usernames, display names).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."

# Characters that reorder or hide text: bidirectional embeddings and overrides (U+202A-202E),
# isolates (U+2066-2069), the Arabic letter mark (U+061C), zero-width space, joiners and
# direction marks (U+200B-200F), the word joiner (U+2060) and the byte order mark (U+FEFF).
INVISIBLE_CHARACTERS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + [chr(c) for c in range(0x200B, 0x2010)]
    + ["\u061c", "\u2060", "\ufeff"]
)
# Zero-width (non-)joiners are part of how Persian, Indic scripts and emoji sequences such as
# a family or "woman technologist" are written: a display name may hold them.
JOINERS = frozenset({"\u200c", "\u200d"})
INVISIBLE_MESSAGE = (
    "Names cannot contain invisible characters or characters that change the text direction."
)


def nul_paths(value: object, path: str = "") -> Iterator[str]:
    """Yield the dotted path of every string (or key) holding a NUL inside a parsed value."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "__all__"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            name = str(key)
            where = f"{path}.{name}" if path else name
            if NUL in name:
                yield where.replace(NUL, "\\u0000")
            else:
                yield from nul_paths(item, where)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from nul_paths(item, f"{path}.{index}" if path else str(index))


def has_invisible(text: str, *, allow_joiners: bool = False) -> bool:
    """Tell whether ``text`` holds a direction control or an invisible character."""
    found = INVISIBLE_CHARACTERS.intersection(text)
    return bool(found - JOINERS if allow_joiners else found)
