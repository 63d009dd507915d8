"""Filters and adjustments: real images in, measured changes out."""

from __future__ import annotations

import itertools
import random
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from glimpse.core.errors import InvalidInput
from glimpse.media.filters import (
    ADJUSTMENTS,
    FILTERS,
    Edit,
    apply_edit,
    filter_catalogue,
)
from glimpse.media.filters.curves import monotone_curve

DOCS = Path(__file__).resolve().parents[2] / "docs" / "filters.md"
REAL_FILTERS = [name for name, recipe in FILTERS.items() if not recipe.is_identity]
SIGNED = [name for name, (low, _) in ADJUSTMENTS.items() if low < 0]


def colour_field(size: int = 64) -> Image.Image:
    """Every hue and tone: red rises left to right, green top to bottom, blue across."""
    ramp = Image.linear_gradient("L").resize((size, size))
    red = ramp.transpose(Image.Transpose.ROTATE_90)
    blue = ImageChops.invert(ramp).transpose(Image.Transpose.ROTATE_270)
    image = Image.merge("RGB", (red, ramp, ImageChops.multiply(blue, ImageChops.invert(ramp))))
    draw = ImageDraw.Draw(image)
    # Patches that photos are full of: skin, sky, foliage, pure black and white.
    for i, colour in enumerate([(224, 172, 140), (96, 150, 220), (60, 120, 50), (0, 0, 0)]):
        draw.rectangle((i * 8, 0, i * 8 + 7, 7), fill=colour)
    draw.rectangle((size - 8, size - 8, size - 1, size - 1), fill=(255, 255, 255))
    for i in range(0, 16, 2):  # fine detail, for sharpening to find
        draw.line((i, size - 16, i, size - 1), fill=(30, 30, 30))
    return image


def grey_ramp() -> Image.Image:
    """A 256-wide grey ramp: column x has value x."""
    return Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).convert("RGB")


def luma(image: Image.Image) -> list[int]:
    return list(image.convert("L").tobytes())


def mean_luma(image: Image.Image) -> float:
    return ImageStat.Stat(image.convert("L")).mean[0]


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def edit(**adjustments: int) -> Edit:
    return Edit(adjustments=tuple(adjustments.items()))


# The catalogue


def test_the_catalogue_has_at_least_30_filters_besides_normal() -> None:
    assert len(REAL_FILTERS) >= 30
    assert [name for name in FILTERS if name not in REAL_FILTERS] == ["normal"]


def test_the_catalogue_lists_every_filter_once_in_display_order_normal_first() -> None:
    catalogue = filter_catalogue()
    assert [entry["name"] for entry in catalogue] == list(FILTERS)
    assert catalogue[0] == {
        "name": "normal",
        "label": "Normal",
        "description": FILTERS["normal"].description,
    }
    for entry in catalogue:
        assert set(entry) == {"name", "label", "description"}
        assert entry["label"]
        assert entry["description"].endswith(".")
    assert len({entry["label"] for entry in catalogue}) == len(catalogue)


def test_docs_describe_every_filter_and_adjustment() -> None:
    text = DOCS.read_text()
    for name in [*FILTERS, *ADJUSTMENTS]:
        assert f"`{name}`" in text, name


# Filters on real pixels


@pytest.mark.parametrize("name", REAL_FILTERS)
def test_every_filter_visibly_changes_a_photo(name: str) -> None:
    image = colour_field()
    out = apply_edit(image, Edit(filter=name))
    assert out.size == image.size
    assert out.mode == "RGB"
    assert mean_difference(out, image) > 3, "a filter must be visible at full strength"


def test_normal_is_the_identity() -> None:
    image = colour_field()
    assert apply_edit(image, Edit(filter="normal")) is image
    assert Edit(filter="normal") == Edit()


def test_no_two_filters_look_the_same() -> None:
    image = colour_field()
    renders = {name: apply_edit(image, Edit(filter=name)) for name in REAL_FILTERS}
    names = list(renders)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert mean_difference(renders[a], renders[b]) > 2, (a, b)


@pytest.mark.parametrize("name", REAL_FILTERS)
def test_strength_0_is_the_input_exactly(name: str) -> None:
    image = colour_field()
    before = image.tobytes()
    out = apply_edit(image, Edit(filter=name, strength=0))
    assert out.tobytes() == before == image.tobytes()


@pytest.mark.parametrize("name", REAL_FILTERS)
def test_strength_moves_steadily_from_the_input_to_the_full_filter(name: str) -> None:
    image = colour_field()
    renders = {s: apply_edit(image, Edit(filter=name, strength=s)) for s in (1, 25, 50, 75, 100)}
    full = mean_difference(renders[100], image)
    distances = [mean_difference(renders[s], image) for s in (1, 25, 50, 75)]
    assert distances[0] < 0.05 * full + 0.5
    assert distances == sorted(distances)
    assert distances[-1] < full
    # Half strength lies between the photo and the full filter, close to a 50% opacity blend
    # (exactly one for recipes that are only curves or only a matrix: docs/filters.md).
    assert 0.3 * full < distances[2] < 0.7 * full
    assert mean_difference(renders[50], Image.blend(image, renders[100], 0.5)) < 4


@pytest.mark.parametrize("name", REAL_FILTERS)
def test_filters_never_invert_a_grey_ramp(name: str) -> None:
    # A vignette darkens the ends of every row, so look at the middle of the middle row.
    row = luma(apply_edit(grey_ramp(), Edit(filter=name)).crop((0, 128, 256, 129)))[80:176]
    assert all(b >= a for a, b in itertools.pairwise(row)), row


def test_recipe_curves_never_overshoot_their_control_points() -> None:
    # A steep step between gentle segments makes a plain cubic spline overshoot and invert.
    tone = monotone_curve(((0, 0), (100, 10), (110, 240), (255, 255)))
    values = [tone(level / 255) for level in range(256)]
    assert all(b >= a for a, b in itertools.pairwise(values))
    assert values[0] == 0
    assert values[-1] == 1
    assert tone(100 / 255) == pytest.approx(10 / 255)
    with pytest.raises(ValueError, match="rising"):
        monotone_curve(((0, 0), (0, 255)))


# Adjustments on real pixels


@pytest.mark.parametrize("name", list(ADJUSTMENTS))
def test_every_adjustment_changes_the_image_at_its_extremes(name: str) -> None:
    image = colour_field()
    low, high = ADJUSTMENTS[name]
    for value in {low, high} - {0}:
        assert mean_difference(apply_edit(image, edit(**{name: value})), image) > 1


def test_brightness_raises_and_lowers_mean_luminance() -> None:
    image = colour_field()
    assert mean_luma(apply_edit(image, edit(brightness=50))) > mean_luma(image) + 5
    assert mean_luma(apply_edit(image, edit(brightness=-50))) < mean_luma(image) - 5


def test_contrast_spreads_and_gathers_the_tones() -> None:
    image = grey_ramp()
    spread = ImageStat.Stat(image.convert("L")).stddev[0]
    assert ImageStat.Stat(apply_edit(image, edit(contrast=50)).convert("L")).stddev[0] > spread
    assert ImageStat.Stat(apply_edit(image, edit(contrast=-50)).convert("L")).stddev[0] < spread


def test_saturation_minus_100_is_grey_and_plus_raises_colourfulness() -> None:
    image = colour_field()
    grey = apply_edit(image, edit(saturation=-100))
    red, green, blue = grey.split()
    assert red.tobytes() == green.tobytes() == blue.tobytes()

    def chroma(im: Image.Image) -> float:
        data = im.tobytes()
        pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
        return sum(max(p) - min(p) for p in pixels) / len(pixels)

    assert chroma(apply_edit(image, edit(saturation=50))) > chroma(image) * 1.2


def test_warmth_moves_red_against_blue() -> None:
    image = colour_field()

    def red_minus_blue(im: Image.Image) -> float:
        mean = ImageStat.Stat(im).mean
        return mean[0] - mean[2]

    assert red_minus_blue(apply_edit(image, edit(warmth=50))) > red_minus_blue(image) + 5
    assert red_minus_blue(apply_edit(image, edit(warmth=-50))) < red_minus_blue(image) - 5


def test_fade_lifts_the_blacks_and_keeps_white() -> None:
    out = luma(apply_edit(grey_ramp(), edit(fade=50)))[:256]
    assert out[0] >= 25
    assert out[255] == 255


def test_highlights_move_the_bright_tones_and_spare_the_dark() -> None:
    ramp = luma(grey_ramp())[:256]
    for value, sign in ((50, 1), (-50, -1)):
        out = luma(apply_edit(grey_ramp(), edit(highlights=value)))[:256]
        bright = sum(out[180:240]) - sum(ramp[180:240])
        dark = sum(out[0:40]) - sum(ramp[0:40])
        assert sign * bright > 60 * 5
        assert abs(dark) < abs(bright) / 10


def test_shadows_move_the_dark_tones_and_spare_the_bright() -> None:
    ramp = luma(grey_ramp())[:256]
    for value, sign in ((50, 1), (-50, -1)):
        out = luma(apply_edit(grey_ramp(), edit(shadows=value)))[:256]
        dark = sum(out[20:100]) - sum(ramp[20:100])
        bright = sum(out[215:256]) - sum(ramp[215:256])
        assert sign * dark > 80 * 5
        assert abs(bright) < abs(dark) / 10


@pytest.mark.parametrize("name", [n for n in ADJUSTMENTS if n not in ("vignette", "sharpen")])
def test_tone_adjustments_never_invert_a_grey_ramp(name: str) -> None:
    low, high = ADJUSTMENTS[name]
    for value in {low, high} - {0}:
        out = luma(apply_edit(grey_ramp(), edit(**{name: value})))[:256]
        assert all(b >= a for a, b in itertools.pairwise(out)), (name, value)


def test_vignette_darkens_the_corners_and_not_the_middle() -> None:
    colour = (180, 160, 140)
    image = Image.new("RGB", (120, 80), colour)
    gentle = apply_edit(image, edit(vignette=50)).tobytes()
    strong = apply_edit(image, edit(vignette=100)).tobytes()

    def rgb(data: bytes, x: int, y: int) -> tuple[int, ...]:
        return tuple(data[(y * 120 + x) * 3 : (y * 120 + x) * 3 + 3])

    assert rgb(gentle, 60, 40) == rgb(strong, 60, 40) == colour
    for x, y in [(0, 0), (119, 0), (0, 79), (119, 79)]:
        corner = rgb(gentle, x, y)
        assert all(v < c * 0.8 for v, c in zip(corner, colour, strict=True)), corner
        assert all(v < c for v, c in zip(rgb(strong, x, y), corner, strict=True))


def test_sharpen_steepens_edges_and_leaves_flat_areas_alone() -> None:
    image = Image.new("RGB", (64, 64), (60, 60, 60))
    ImageDraw.Draw(image).rectangle((32, 0, 63, 63), fill=(190, 190, 190))
    soft = image.filter(ImageFilter.GaussianBlur(1))

    def steepest_step(im: Image.Image) -> int:
        row = luma(im.crop((0, 32, 64, 33)))
        return max(b - a for a, b in itertools.pairwise(row))

    gentle = apply_edit(soft, edit(sharpen=50))
    strong = apply_edit(soft, edit(sharpen=100))
    assert steepest_step(soft) < steepest_step(gentle) < steepest_step(strong)
    assert steepest_step(strong) > steepest_step(soft) * 1.3
    for flat in [(8, 32), (56, 32)]:
        assert strong.getpixel(flat) == soft.getpixel(flat)


# Rendering contract


@pytest.mark.parametrize("size", [(1, 1), (2, 3), (37, 91), (640, 480), (480, 640)])
def test_apply_edit_keeps_size_and_mode(size: tuple[int, int]) -> None:
    image = colour_field(96).resize(size)
    heavy = Edit(filter="nocturne", strength=70, adjustments=tuple((n, 40) for n in ADJUSTMENTS))
    out = apply_edit(image, heavy)
    assert (out.size, out.mode) == (size, "RGB")


def test_identity_returns_the_image_untouched() -> None:
    image = colour_field()
    assert apply_edit(image, Edit()) is image
    assert apply_edit(image, Edit(filter="coast", strength=0)) is image


@pytest.mark.parametrize(
    "the_edit",
    [edit(vignette=40), Edit(filter="noir"), edit(sharpen=50, fade=10), Edit(filter="coast")],
)
def test_apply_edit_never_modifies_its_input(the_edit: Edit) -> None:
    image = colour_field()
    before = image.tobytes()
    apply_edit(image, the_edit)
    assert image.tobytes() == before


def test_apply_edit_refuses_other_modes_than_rgb() -> None:
    with pytest.raises(ValueError, match="RGB"):
        apply_edit(Image.new("RGBA", (4, 4)), Edit(filter="coast"))


def test_random_valid_edits_always_render() -> None:
    rng = random.Random(20240611)
    images = [colour_field(48), grey_ramp(), Image.new("RGB", (5, 7), (250, 0, 3))]
    names = [None, *FILTERS]
    for _ in range(150):
        chosen = rng.sample(list(ADJUSTMENTS), rng.randint(0, len(ADJUSTMENTS)))
        data = {
            "filter": rng.choice(names),
            "strength": rng.randint(0, 100),
            "adjustments": {n: rng.randint(*ADJUSTMENTS[n]) for n in chosen},
        }
        the_edit = Edit.from_dict(data)
        assert Edit.from_dict(the_edit.to_dict()) == the_edit
        image = rng.choice(images)
        out = apply_edit(image, the_edit)
        assert (out.size, out.mode) == (image.size, "RGB")


# Parameters: JSON form and validation


@pytest.mark.parametrize(
    "data",
    [
        {"filter": "coast", "strength": 80, "adjustments": {"brightness": 10, "vignette": 30}},
        {"filter": None, "strength": 100, "adjustments": {"fade": 100, "shadows": -100}},
        {"filter": "sepia", "strength": 0, "adjustments": {}},
        {
            "filter": "ink",
            "strength": 55,
            "adjustments": {n: hi for n, (_, hi) in ADJUSTMENTS.items()},
        },
    ],
)
def test_to_dict_is_the_stored_json_and_round_trips(data: dict[str, Any]) -> None:
    the_edit = Edit.from_dict(data)
    assert the_edit.to_dict() == data
    assert Edit.from_dict(the_edit.to_dict()) == the_edit


@pytest.mark.parametrize("data", [None, {}, {"filter": "normal"}, {"adjustments": {"fade": 0}}])
def test_empty_input_is_the_identity(data: dict[str, Any] | None) -> None:
    the_edit = Edit.from_dict(data)
    assert the_edit == Edit()
    assert the_edit.is_identity
    assert the_edit.to_dict() == {"filter": None, "strength": 100, "adjustments": {}}


def test_edits_are_canonical_so_equal_edits_share_a_cache_key() -> None:
    a = Edit.from_dict({"adjustments": {"warmth": 5, "brightness": 10, "fade": 0}})
    b = Edit(adjustments=(("brightness", 10), ("warmth", 5)))
    assert a == b
    assert hash(a) == hash(b)
    assert a.adjustments == (("brightness", 10), ("warmth", 5))
    assert not a.is_identity


def test_defaults_fill_in_missing_fields() -> None:
    assert Edit.from_dict({"filter": "coast"}) == Edit(filter="coast", strength=100)
    assert Edit.from_dict({"adjustments": None}) == Edit()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"filter": "clarendonx"}, {"filter"}),
        ({"filter": 3}, {"filter"}),
        ({"filter": ["coast"]}, {"filter"}),
        ({"filter": "coast", "strength": 101}, {"strength"}),
        ({"strength": -1}, {"strength"}),
        ({"strength": 50.0}, {"strength"}),
        ({"strength": "80"}, {"strength"}),
        ({"strength": True}, {"strength"}),
        ({"strength": None}, {"strength"}),
        ({"adjustments": {"glow": 10}}, {"adjustments.glow"}),
        ({"adjustments": {"brightness": 101}}, {"adjustments.brightness"}),
        ({"adjustments": {"contrast": -101}}, {"adjustments.contrast"}),
        ({"adjustments": {"fade": -1}}, {"adjustments.fade"}),
        ({"adjustments": {"vignette": -5}}, {"adjustments.vignette"}),
        ({"adjustments": {"sharpen": 101}}, {"adjustments.sharpen"}),
        ({"adjustments": {"brightness": 1.5}}, {"adjustments.brightness"}),
        ({"adjustments": {"brightness": True}}, {"adjustments.brightness"}),
        ({"adjustments": {"brightness": "10"}}, {"adjustments.brightness"}),
        ({"adjustments": {"brightness": None}}, {"adjustments.brightness"}),
        ({"adjustments": [["brightness", 10]]}, {"adjustments"}),
        ({"adjustments": "brightness"}, {"adjustments"}),
        ({"adjustments": []}, {"adjustments"}),
        ({"filters": "coast"}, {"filters"}),
        (
            {"filter": "nope", "strength": 200, "adjustments": {"fade": 500, "glow": 1}},
            {"filter", "strength", "adjustments.fade", "adjustments.glow"},
        ),
    ],
)
def test_from_dict_names_every_bad_field(data: dict[str, Any], fields: set[str]) -> None:
    with pytest.raises(InvalidInput) as raised:
        Edit.from_dict(data)
    assert set(raised.value.fields) == fields
    assert all(messages and all(messages) for messages in raised.value.fields.values())
    assert raised.value.status == 422


def test_from_dict_refuses_something_that_is_not_an_object() -> None:
    with pytest.raises(InvalidInput) as raised:
        Edit.from_dict(["coast"])  # type: ignore[arg-type]
    assert set(raised.value.fields) == {"edit"}
    with pytest.raises(InvalidInput):
        Edit.from_dict("")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"filter": "nope"}, "filter"),
        ({"strength": 101}, "strength"),
        ({"adjustments": (("brightness", 10), ("brightness", 20))}, "adjustments.brightness"),
        ({"adjustments": (("glow", 10),)}, "adjustments.glow"),
        ({"adjustments": ("brightness",)}, "adjustments"),
    ],
)
def test_building_an_edit_in_code_is_validated_too(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        Edit(**kwargs)
    assert field in raised.value.fields
