"""Pieces of pages rendered once per distinct inputs: never stale, never another viewer's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
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


TOGETHER = Template(
    "{% load fragments %}{% fragments_together %}{% for card in cards %}"
    "[{% fragment card=card %}{{ card.id }}:{{ card.caption }}{% csrf_token %}{% endfragment %}]"
    "{% endfor %}{% endfragments_together %}"
)


class CountingCache:
    """The shared cache, with the name of each operation recorded."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        return getattr(self.real, name)


def test_fragments_together_are_read_at_once_and_kept_at_once(
    monkeypatch: pytest.MonkeyPatch, fragments_rendered: list[Any]
) -> None:
    shared = CountingCache(fragments.cache)
    monkeypatch.setattr(fragments, "cache", shared)
    cards = [Card(id=n, caption=f"tide {n}", urls={}) for n in range(5)]
    no_token = '<input type="hidden" name="csrfmiddlewaretoken" value="">'  # no request
    page = "".join(f"[{n}:tide {n}{no_token}]" for n in range(5))
    assert TOGETHER.render(Context({"cards": cards})) == page
    assert shared.calls == ["get_many", "set_many"]
    assert len(fragments_rendered) == 5

    fragments.fragments_forget()  # another process: nothing kept in its memory
    shared.calls.clear()
    assert TOGETHER.render(Context({"cards": cards})) == page
    assert shared.calls == ["get_many"]
    shared.calls.clear()
    assert TOGETHER.render(Context({"cards": cards})) == page  # now kept in the process
    assert shared.calls == []
    assert len(fragments_rendered) == 5


def test_fragments_together_draw_what_each_would_alone(fragments_rendered: list[Any]) -> None:
    cards = [Card(id=1, caption="<b>Low</b> tide", urls={}), Card(id=2, caption="", urls={})]
    alone = Template(
        TOGETHER.source.replace("{% fragments_together %}", "").replace(
            "{% endfragments_together %}", ""
        )
    )
    expected = alone.render(Context({"cards": cards}))
    fragments.fragments_forget()
    cache.clear()  # and nothing in the shared cache either
    assert (
        TOGETHER.render(Context({"cards": [*cards, cards[0]]}))
        == expected + expected[: expected.index("]") + 1]
    )
    assert "&lt;b&gt;Low&lt;/b&gt;" in expected
    assert len(fragments_rendered) == 4  # twice alone, then once each together


def test_each_viewer_gets_their_own_csrf_token_in_fragments_together() -> None:
    factory = RequestFactory()
    pages = []
    for _ in range(2):
        context = RequestContext(factory.get("/"), {"cards": [Card(id=1, caption="", urls={})]})
        with context.bind_template(TOGETHER):
            pages.append((TOGETHER.render(context), str(context.get("csrf_token"))))
    for html, token in pages:
        assert f'value="{token}"' in html
        assert fragments.TOKEN_STAND_IN not in html
        assert "fragment" not in html  # no mark left over
    assert pages[0][1] != pages[1][1]
