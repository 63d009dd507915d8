"""Explore's mosaic: blocks of squares and tall Reels, and the empty cells it leaves."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from glimpse.posts.views.mosaic import Gap, mosaic


@dataclass(frozen=True)
class Item:
    name: str

    @property
    def is_reel(self) -> bool:
        return self.name.startswith("r")


def items(names: str) -> list[Item]:
    return [Item(name) for name in names.split()]


def order(names: str) -> list[str]:
    return [str(getattr(cell.post, "name", "")) for cell in mosaic(items(names)).cells]


def placed(names: str) -> list[list[str]]:
    """Return the rows of the grid as CSS dense auto-placement fills them ("." for empty)."""
    rows: list[list[str]] = []
    for cell in mosaic(items(names)).cells:
        height = 2 if cell.tall else 1
        row = 0
        while True:
            free = [
                c
                for c in range(3)
                if all(r >= len(rows) or rows[r][c] == "." for r in range(row, row + height))
            ]
            if free:
                break
            row += 1
        while len(rows) < row + height:
            rows.append(["."] * 3)
        for r in range(row, row + height):
            rows[r][free[0]] = str(getattr(cell.post, "name", ""))
    return rows


def test_blocks_of_four_squares_and_a_reel_alternate_sides() -> None:
    assert placed("p1 p2 p3 p4 r1 p5 p6 p7 p8 r2") == [
        ["p1", "p2", "r1"],
        ["p3", "p4", "r1"],
        ["r2", "p5", "p6"],
        ["r2", "p7", "p8"],
    ]
    assert mosaic(items("p1 p2 p3 p4 r1 p5 p6 p7 p8 r2")).gap is None


def test_each_kind_keeps_its_order() -> None:
    shown = order("r1 p1 r2 p2 p3 p4 p5 p6 p7 p8 p9")
    assert [n for n in shown if n.startswith("p")] == [f"p{i}" for i in range(1, 10)]
    assert [n for n in shown if n.startswith("r")] == ["r1", "r2"]


def test_two_reels_and_two_squares_fill_a_block() -> None:
    assert placed("r1 r2 p1 p2") == [["r1", "r2", "p1"], ["r1", "r2", "p2"]]


def test_photos_alone_are_rows_of_three() -> None:
    assert placed("p1 p2 p3 p4 p5") == [["p1", "p2", "p3"], ["p4", "p5", "."]]
    assert mosaic(items("p1 p2 p3 p4 p5")).gap == Gap(column=3, columns=1, rows=1)


@pytest.mark.parametrize(
    ("names", "gap"),
    [
        ("", None),
        ("p1", Gap(column=2, columns=2, rows=1)),
        ("p1 p2", Gap(column=3, columns=1, rows=1)),
        ("r1", Gap(column=2, columns=2, rows=2)),
        ("r1 r2", Gap(column=3, columns=1, rows=2)),
        ("r1 p1 p2", Gap(column=2, columns=2, rows=1)),
        ("p1 p2 p3 r1", Gap(column=2, columns=2, rows=2)),
        ("p1 p2 p3", None),
        ("r1 r2 r3", None),
    ],
)
def test_the_empty_cells_at_the_end_form_the_gap(names: str, gap: Gap | None) -> None:
    assert mosaic(items(names)).gap == gap


def test_only_the_last_row_s_empty_cells_are_the_gap() -> None:
    # One square and one Reel cannot fill a row: the hole above the last row stays.
    assert placed("p1 r1") == [["r1", "p1", "."], ["r1", ".", "."]]
    assert mosaic(items("p1 r1")).gap == Gap(column=2, columns=2, rows=1)
