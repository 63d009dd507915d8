"""Read an uploaded zip as hostile: member names checked, sizes capped, bytes counted.

Nothing is ever extracted to disk by a member's name. A member is read into memory (a JSON
document) or into an anonymous temporary file (a photo or video), after its name is
normalised and checked, its declared size and compression ratio are checked, and while the
bytes are counted, so that a member that unpacks to more than it declares stops at the cap.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.conf import settings

from glimpse.core.errors import GlimpseError

CHUNK = 1024 * 1024
# Below this size a member's compression ratio is not held against it (tiny files vary).
RATIO_FLOOR = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


class ArchiveRefused(GlimpseError):
    """The archive as a whole cannot be read: not a zip, too many members, no known layout."""

    status = 422
    code = "bad_archive"
    default_message = "This archive could not be read."


class MemberRefused(Exception):
    """One member cannot be used; the message says why, for the import's report."""


class SafeZip:
    """A zip archive whose members are reached only by their checked, normalised names."""

    def __init__(self, source: IO[bytes] | str) -> None:
        try:
            self._zip = zipfile.ZipFile(source)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise ArchiveRefused("This file is not a zip archive.", code="not_zip") from None
        most = settings.GLIMPSE_IMPORT_MAX_MEMBERS
        if len(infos) > most:
            raise ArchiveRefused(
                f"This archive has {len(infos)} files; at most {most} are read.",
                code="too_many_files",
            )
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.refused: list[str] = []  # names that were not taken, shown in the report
        for info in infos:
            if info.is_dir():
                continue
            name = safe_name(info.filename)
            if name is None or info.flag_bits & 0x1:  # unsafe name, or encrypted
                self.refused.append(info.filename[:200])
                continue
            self.members.setdefault(name, info)
        # Each member by the ends of its path: a document's relative path finds its file
        # wherever the archive put the folder it is relative to.
        self._by_tail: dict[str, str] = {}
        for name in self.members:
            parts = name.split("/")
            for start in range(1, len(parts)):
                self._by_tail.setdefault("/".join(parts[start:]), name)

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()

    def names(self) -> list[str]:
        """Return the normalised names of the usable members, in archive order."""
        return list(self.members)

    def find(self, name: str, *, root: str = "") -> str | None:
        """Return the member a document's relative path names: under ``root`` first, then
        at the top, then any member whose path ends with it."""
        clean = safe_name(name)
        if clean is None:
            return None
        for candidate in (posixpath.join(root, clean) if root else clean, clean):
            if candidate in self.members:
                return candidate
        return self._by_tail.get(clean)

    def read(self, name: str, *, limit: int) -> bytes:
        """Return a member's bytes, refusing one larger than ``limit`` (declared or read)."""
        with self._opened(name, limit) as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise MemberRefused(_too_large(limit))
        return data

    @contextmanager
    def spooled(self, name: str, *, limit: int) -> Iterator[tuple[IO[bytes], int]]:
        """Yield a member copied into an anonymous temporary file, and its size in bytes."""
        with tempfile.TemporaryFile(prefix="glimpse-import-") as target:
            size = self._copy(name, target, limit)
            target.seek(0)
            yield target, size

    def _copy(self, name: str, target: IO[bytes], limit: int) -> int:
        """Copy a member into ``target`` counting its bytes; return how many there were."""
        size = 0
        with self._opened(name, limit) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:  # more than the header said: a bomb, stopped at the cap
                    raise MemberRefused(_too_large(limit))
                target.write(chunk)
        return size

    @contextmanager
    def _opened(self, name: str, limit: int) -> Iterator[IO[bytes]]:
        info = self.members.get(name)
        if info is None:
            raise MemberRefused("The archive does not hold this file.")
        if info.file_size > limit:
            raise MemberRefused(_too_large(limit))
        ratio = settings.GLIMPSE_IMPORT_MAX_RATIO
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            raise MemberRefused(f"This file unpacks to over {ratio} times its packed size.")
        try:
            with self._zip.open(info) as stream:
                yield stream
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError) as error:
            # A wrong checksum, an unknown compression method, a truncated member.
            raise MemberRefused("This file is damaged in the archive.") from error


def safe_name(raw: str) -> str | None:
    """Return a member name made relative and plain, or None when it tries to escape.

    Refused: absolute paths, drive letters, backslashes, ``..`` anywhere, NUL characters.
    Kept: ``./`` and doubled slashes, which are harmless and removed.
    """
    if not raw or "\\" in raw or "\x00" in raw or raw.startswith("/") or _DRIVE.match(raw):
        return None
    parts = [part for part in raw.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _too_large(limit: int) -> str:
    return f"This file is larger than {_megabytes(limit)}, the most an import takes."


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size} bytes"
