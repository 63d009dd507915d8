"""The ``{% icon %}`` tag draws the outline icons every template may use."""

from __future__ import annotations

from django.template import Context, Template

from glimpse.core.templatetags.icons import PATHS


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_an_icon_is_its_shapes_in_one_svg() -> None:
    svg = _render('{% icon "heart" cls="icon--sm" %}')
    assert svg.startswith('<svg class="icon icon--sm" viewBox="0 0 24 24"')
    assert 'fill="none"' in svg
    assert 'stroke-width="2"' in svg
    assert 'aria-hidden="true"' in svg
    assert PATHS["heart"] in svg
    assert svg.endswith("</svg>")


def test_fill_stroke_and_a_name_from_the_context() -> None:
    svg = _render("{% icon name=which fill=on stroke='0' %}", which="bookmark", on=True)
    assert 'fill="currentColor"' in svg
    assert 'stroke-width="0"' in svg
    assert PATHS["bookmark"] in svg
    assert 'fill="none"' in _render("{% icon 'bookmark' fill=on %}", on=False)


def test_the_class_is_escaped_and_an_unknown_name_draws_nothing() -> None:
    svg = _render("{% icon 'nothing' cls=cls %}", cls='"><script>')
    assert "<script>" not in svg
    assert "&quot;&gt;&lt;script&gt;" in svg
    assert "<path" not in svg
