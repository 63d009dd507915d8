"""Explore's mosaic: posts in squares and Reels in tiles two squares tall, on three columns.

Instagram's Explore and hashtag grids run in blocks of two rows: four squares and one tall
Reel, the Reel on the right in one block and on the left in the next. ``mosaic`` puts a
page of posts in that order (the grid itself flows them in, ``grid-auto-flow: dense``) and
says which empty cells the last rows leave, so that a short grid can fill them with a
closing note instead of leaving one lone tile on a blank row.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

COLUMNS = 3
BLOCK_SQUARES = 4  # squares beside one tall Reel in a block of two rows


class Shown(Protocol):
    """What the mosaic reads of a post: whether it is a Reel."""

    @property
    def is_reel(self) -> bool: ...


@dataclass(frozen=True)
class Cell:
    """A post in the mosaic: ``tall`` Reels take two rows of one column."""

    post: Shown
    tall: bool


@dataclass(frozen=True)
class Gap:
    """The empty cells at the end of a mosaic, a rectangle at the right of its last rows:
    from column ``column`` (1-based) to the last one, over ``rows`` rows."""

    column: int
    columns: int
    rows: int


@dataclass(frozen=True)
class Mosaic:
    cells: list[Cell]
    gap: Gap | None


def mosaic(posts: Sequence[Shown]) -> Mosaic:
    """Return the posts in blocks of two rows: four squares and a tall Reel (the Reel right,
    then left, in turns), else two squares and two Reels, else rows of three of a kind.

    Each kind keeps its own order; what is left at the end (a row that cannot be full)
    comes last, Reels first, so that the empty cells end at the right.
    """
    squares = deque(post for post in posts if not post.is_reel)
    reels = deque(post for post in posts if post.is_reel)
    cells: list[Cell] = []
    blocks = 0

    def take(queue: deque[Shown], n: int, *, tall: bool) -> list[Cell]:
        return [Cell(queue.popleft(), tall=tall) for _ in range(n)]

    while squares or reels:
        if reels and len(squares) >= BLOCK_SQUARES:
            reel, four = take(reels, 1, tall=True), take(squares, BLOCK_SQUARES, tall=False)
            # Dense placement: squares, Reel, squares puts the Reel in the third column.
            cells += [*four[:2], *reel, *four[2:]] if blocks % 2 == 0 else [*reel, *four]
            blocks += 1
        elif len(reels) >= 2 and len(squares) >= 2:
            two, pair = take(reels, 2, tall=True), take(squares, 2, tall=False)
            # Two Reels and a column of two squares, the squares on the side the Reel is not.
            cells += [*two, *pair] if blocks % 2 == 0 else [pair[0], *two, pair[1]]
            blocks += 1
        elif len(squares) >= COLUMNS:
            cells += take(squares, COLUMNS, tall=False)
        elif len(reels) >= COLUMNS:
            cells += take(reels, COLUMNS, tall=True)
        else:
            cells += take(reels, len(reels), tall=True) + take(squares, len(squares), tall=False)
    return Mosaic(cells=cells, gap=_gap(cells))


def _gap(cells: list[Cell]) -> Gap | None:
    """Return the empty rectangle at the right of the last rows, the cells placed as CSS
    grid's dense auto-placement does (None when the grid ends square or the hole has
    another shape)."""
    rows: list[list[bool]] = []
    for cell in cells:
        height = 2 if cell.tall else 1
        row, column = _first_free(rows, height)
        while len(rows) < row + height:
            rows.append([False] * COLUMNS)
        for r in range(row, row + height):
            rows[r][column] = True
    if not rows:
        return None
    last = rows[-1]
    if all(last):
        return None
    column = last.index(False)
    if any(last[column:]):
        return None
    height = 1
    for above in reversed(rows[:-1]):
        if any(above[column:]) or (column and not all(above[:column])):
            break
        height += 1
    return Gap(column=column + 1, columns=COLUMNS - column, rows=height)


def _first_free(rows: list[list[bool]], height: int) -> tuple[int, int]:
    row = 0
    while True:
        for column in range(COLUMNS):
            if all(r >= len(rows) or not rows[r][column] for r in range(row, row + height)):
                return row, column
        row += 1
