"""Pieces of pages rendered once per distinct inputs: never stale, never another viewer's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory

from glimpse.core import fragments


@dataclass(frozen=True)
class Card:
    id: int
    caption: str
    urls: dict[str, str]  # unhashable on purpose: presenters hold dicts


@dataclass(frozen=True)
class SignedIn:
    username: str
    is_authenticated: bool = True


@pytest.fixture(autouse=True)
def empty() -> None:
    fragments.fragments_forget()


PIECE = Template(
    "{% load fragments %}[{% fragment card=card %}{{ card.id }}:{{ card.caption }}"
    ":{{ card.urls.small }}{% endfragment %}]"
)


def test_the_same_inputs_are_rendered_once_and_served_alike(fragments_rendered: list[Any]) -> None:
    card = Card(id=1, caption="Low tide", urls={"small": "/m/1.jpg?s=a"})
    first = PIECE.render(Context({"card": card}))
    again = PIECE.render(Context({"card": Card(id=1, caption="Low tide", urls=dict(card.urls))}))
    assert first == again == "[1:Low tide:/m/1.jpg?s=a]"
    assert len(fragments_rendered) == 1


@pytest.mark.parametrize(
    "changed",
    [
        Card(id=1, caption="High tide", urls={"small": "/m/1.jpg?s=a"}),
        Card(id=1, caption="Low tide", urls={"small": "/m/1.jpg?s=b"}),  # a new signature
        Card(id=2, caption="Low tide", urls={"small": "/m/1.jpg?s=a"}),
    ],
)
def test_any_change_in_what_a_piece_shows_renders_it_again(
    fragments_rendered: list[Any], changed: Card
) -> None:
    PIECE.render(Context({"card": Card(id=1, caption="Low tide", urls={"small": "/m/1.jpg?s=a"})}))
    html = PIECE.render(Context({"card": changed}))
    assert html == f"[{changed.id}:{changed.caption}:{changed.urls['small']}]"
    assert len(fragments_rendered) == 2


def test_a_piece_reads_its_inputs_alone_and_never_who_is_looking() -> None:
    template = Template(
        "{% load fragments %}{% fragment shown=shown %}{{ shown }}|{{ secret }}|"
        "{{ user.username }}|{{ user.is_authenticated }}{% endfragment %}"
    )
    page = {"shown": "a", "secret": "the page's own", "user": SignedIn(username="ana")}
    assert template.render(Context(page)) == "a|||True"
    assert template.render(Context({**page, "user": AnonymousUser()})) == "a|||False"


def test_signed_in_and_signed_out_viewers_get_pieces_of_their_own(
    fragments_rendered: list[Any],
) -> None:
    template = Template(
        "{% load fragments %}{% fragment n=n %}{% if user.is_authenticated %}Like"
        "{% else %}Log in to like{% endif %}{% endfragment %}"
    )
    assert template.render(Context({"n": 1, "user": SignedIn(username="ana")})) == "Like"
    assert template.render(Context({"n": 1, "user": AnonymousUser()})) == "Log in to like"
    assert template.render(Context({"n": 1, "user": SignedIn(username="bob")})) == "Like"
    assert len(fragments_rendered) == 2


def test_each_viewer_gets_their_own_csrf_token_in_a_shared_piece(
    fragments_rendered: list[Any],
) -> None:
    template = Template("{% load fragments %}{% fragment n=n %}{% csrf_token %}{% endfragment %}")
    factory = RequestFactory()
    pages = []
    for _ in range(2):
        request = factory.get("/")
        context = RequestContext(request, {"n": 1})
        with context.bind_template(template):
            pages.append((template.render(context), str(context.get("csrf_token"))))
    assert len(fragments_rendered) == 1
    for html, token in pages:
        assert f'value="{token}"' in html
        assert fragments.TOKEN_STAND_IN not in html
    assert pages[0][1] != pages[1][1]


def test_an_input_that_cannot_be_serialised_in_full_is_rendered_every_time(
    fragments_rendered: list[Any],
) -> None:
    template = Template(
        "{% load fragments %}{% fragment thing=thing %}{{ thing }}{% endfragment %}"
    )

    class Thing:
        def __str__(self) -> str:
            return "a thing"

    thing = Thing()
    assert template.render(Context({"thing": thing})) == "a thing"
    assert template.render(Context({"thing": thing})) == "a thing"
    assert len(fragments_rendered) == 2


def test_the_process_keeps_a_bounded_number_of_pieces(settings: Any) -> None:
    settings.GLIMPSE_FRAGMENTS_NEAR = 2
    for n in (1, 2, 3):
        PIECE.render(Context({"card": Card(id=n, caption="", urls={})}))
    assert len(fragments._KEPT) == 2


def test_a_piece_one_process_rendered_is_served_by_another_from_the_shared_cache(
    fragments_rendered: list[Any],
) -> None:
    card = Card(id=1, caption="Low tide", urls={})
    PIECE.render(Context({"card": card}))
    fragments._KEPT.clear()  # another process: nothing kept in its memory
    other = Template(PIECE.source)  # and its own parse of the same template
    assert other.render(Context({"card": card})) == "[1:Low tide:]"
    assert len(fragments_rendered) == 1


def test_two_fragment_tags_of_one_template_never_share_pieces() -> None:
    template = Template(
        "{% load fragments %}{% fragment n=n %}first{% endfragment %}"
        "{% fragment n=n %}second{% endfragment %}"
    )
    assert template.render(Context({"n": 1})) == "firstsecond"


def test_inputs_are_named() -> None:
    with pytest.raises(TemplateSyntaxError, match="name=value"):
        Template("{% load fragments %}{% fragment card %}{% endfragment %}")
