"""``path_to`` and the ``{% url %}`` tag answer what Django's ``reverse`` answers, faster."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from glimpse.core.paths import path_to

CASES = [
    ("home", ()),
    ("profile", ("rita",)),
    ("profile", ("rita.b_2-x",)),
    ("posts:detail", (246728054119939072,)),
    ("posts:like", (7,)),
    ("posts:place", (12,)),
    ("posts:tag", ("travel",)),
    ("posts:collection_remove", (246728054119939072, 31)),
    ("accounts:login", ()),
]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_the_same_path_as_reverse(name: str, args: tuple[object, ...]) -> None:
    for _ in range(2):  # the first call learns the name's pattern, the second fills it in
        assert path_to(name, args) == reverse(name, args=args)


# What quoting or a converter might change goes through reverse: the same answer.
@pytest.mark.parametrize("word", ["a/b", "café", "a b", "?x", "", "-1"])
def test_other_arguments_answer_as_reverse_does(word: str) -> None:
    try:
        expected = reverse("posts:tag", args=[word])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            path_to("posts:tag", [word])
    else:
        assert path_to("posts:tag", [word]) == expected


def test_a_negative_id_is_refused_as_reverse_refuses_it() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("posts:detail", args=[-3])
    with pytest.raises(NoReverseMatch):
        path_to("posts:detail", [-3])


def test_an_unknown_name_is_refused() -> None:
    with pytest.raises(NoReverseMatch):
        path_to("posts:nothing", [1])


def test_the_tag_answers_as_django_s_did() -> None:
    template = Template(
        "{% url 'profile' name %}|{% url 'posts:detail' pk as link %}{{ link }}|"
        "{% url 'posts:tag' name=tag %}|{% url 'nothing' as missing %}[{{ missing }}]|"
        "{% url view pk %}"
    )
    text = template.render(Context({"name": "rita", "pk": 5, "tag": "sun", "view": "posts:like"}))
    assert text == (
        f"{reverse('profile', args=['rita'])}|{reverse('posts:detail', args=[5])}|"
        f"{reverse('posts:tag', kwargs={'name': 'sun'})}|[]|{reverse('posts:like', args=[5])}"
    )
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nothing' %}").render(Context({}))
