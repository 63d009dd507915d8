"""What a filter is: tone curves, then a colour matrix, then a vignette, all at full strength."""

from __future__ import annotations

from dataclasses import dataclass

from glimpse.media.filters.curves import LUMA, Points

Row = tuple[float, float, float]
Matrix = tuple[Row, Row, Row]

IDENTITY: Matrix = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


@dataclass(frozen=True)
class Filter:
    """A named look, applied in this order at full strength.

    1. ``rgb`` then ``red``/``green``/``blue``: monotone tone curves through control points
       (input, output) in 0..255; an empty curve leaves the channel alone.
    2. ``mix`` (channel mixer: output R, G, B as weights of input R, G, B), then
       ``saturation`` (1 = unchanged, 0 = grey), then ``offset`` (levels added per channel).
    3. ``vignette``: how much the corners darken, 0..1.
    """

    name: str
    label: str
    description: str
    rgb: Points = ()
    red: Points = ()
    green: Points = ()
    blue: Points = ()
    mix: Matrix = IDENTITY
    saturation: float = 1.0
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    vignette: float = 0.0

    @property
    def is_identity(self) -> bool:
        """Tell whether this recipe leaves every image as it is."""
        return self.is_curve_identity and self.is_matrix_identity and not self.vignette

    @property
    def is_curve_identity(self) -> bool:
        """Tell whether the recipe has no tone curve."""
        return not (self.rgb or self.red or self.green or self.blue)

    @property
    def is_matrix_identity(self) -> bool:
        """Tell whether the recipe's colour matrix and offset change nothing."""
        return self.mix == IDENTITY and self.saturation == 1.0 and not any(self.offset)

    def matrix(self) -> Matrix:
        """Return the channel mixer followed by the saturation, as one 3x3 matrix."""
        return multiply(saturation_matrix(self.saturation), self.mix)


def mono(red: float, green: float, blue: float, tint: Row = (1.0, 1.0, 1.0)) -> Matrix:
    """Return a black-and-white channel mixer, optionally toned by per-channel gains."""
    return (
        (red * tint[0], green * tint[0], blue * tint[0]),
        (red * tint[1], green * tint[1], blue * tint[1]),
        (red * tint[2], green * tint[2], blue * tint[2]),
    )


def saturation_matrix(amount: float) -> Matrix:
    """Return the matrix that scales colour away from (or toward) its luma by ``amount``."""
    rows = []
    for channel in range(3):
        row = [(1 - amount) * weight for weight in LUMA]
        row[channel] += amount
        rows.append((row[0], row[1], row[2]))
    return (rows[0], rows[1], rows[2])


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """Return the matrix product ``a @ b`` (apply ``b`` first, then ``a``)."""
    return (_row_times(a[0], b), _row_times(a[1], b), _row_times(a[2], b))


def transform(m: Matrix, v: Row) -> Row:
    """Return the vector ``m @ v``."""
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _row_times(row: Row, m: Matrix) -> Row:
    return (
        row[0] * m[0][0] + row[1] * m[1][0] + row[2] * m[2][0],
        row[0] * m[0][1] + row[1] * m[1][1] + row[2] * m[2][1],
        row[0] * m[0][2] + row[1] * m[1][2] + row[2] * m[2][2],
    )
