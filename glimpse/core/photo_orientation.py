"""A picture's EXIF orientation, read from its header, and the turn that makes it upright.

Shared by media uploads and profile pictures, which both decode pictures of the same formats.
"""

from __future__ import annotations

from PIL import Image

# What Pillow and its plugins raise on bad bytes (Pillow's AVIF plugin raises RuntimeError);
# anything else is a bug and stays a 500.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    RuntimeError,
)

ORIENTATION = 0x0112
# What displays the stored pixels upright, for each EXIF orientation (as exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def read_exif(image: Image.Image) -> Image.Exif:
    """Parse the EXIF block the header carried, without decoding pixels."""
    # Not image.getexif(): for PNG it decodes the whole image looking for a late eXIf.
    exif = Image.Exif()
    raw = image.info.get("exif")
    if isinstance(raw, bytes | bytearray) and raw:
        try:
            exif.load(bytes(raw))
        except DECODE_ERRORS:
            return Image.Exif()
    return exif


def valid_orientation(value: object) -> int:
    """Return an EXIF orientation value if it is one (1 to 8), else 1 (upright)."""
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def pending_orientation(image: Image.Image) -> int:
    """Return the orientation still to apply to the decoded pixels (1 when upright)."""
    if image.format == "HEIF":
        return 1  # the decoder applies it
    return valid_orientation(read_exif(image).get(ORIENTATION))


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """Return the picture turned as its orientation says (the same image when upright)."""
    return image.transpose(_TRANSPOSE[orientation]) if orientation in _TRANSPOSE else image
