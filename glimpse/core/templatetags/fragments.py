"""The ``{% fragment %}`` tag: a piece of a page rendered once per distinct inputs
(``glimpse.core.fragments``).

    {% load fragments %}
    {% fragment post=item.post ago=item.post.created_at|ago here=home_url %}
      ... uses post, ago, here, user.is_authenticated and {% csrf_token %} only ...
    {% endfragment %}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import cast

from django import template
from django.template import Context
from django.template.base import FilterExpression, Node, NodeList, Parser, Token

from glimpse.core.fragments import (
    TOKEN_STAND_IN,
    Unkeyable,
    fragment_keep,
    fragment_kept,
    fragment_key,
    with_token,
)

register = template.Library()


@dataclass(frozen=True)
class Visitor:
    """All a fragment knows of its viewer."""

    is_authenticated: bool


SIGNED_IN = Visitor(is_authenticated=True)
SIGNED_OUT = Visitor(is_authenticated=False)


class FragmentNode(Node):
    """Render the body with its named inputs alone, or serve it as kept for those inputs."""

    def __init__(
        self, nodelist: NodeList, inputs: dict[str, FilterExpression], identity: str
    ) -> None:
        self.nodelist = nodelist
        self.inputs = inputs
        self.identity = identity  # a digest of the body's source

    def render(self, context: Context) -> str:
        """Return the fragment for the current inputs, with the viewer's CSRF token."""
        values = {name: value.resolve(context) for name, value in self.inputs.items()}
        user = context.get("user")
        visitor = SIGNED_IN if getattr(user, "is_authenticated", False) else SIGNED_OUT
        request = getattr(context, "request", None)
        namespace = getattr(getattr(request, "resolver_match", None), "namespace", None)
        html: str | None
        try:
            key = fragment_key(self.identity, visitor.is_authenticated, namespace, values)
        except Unkeyable:
            html = self._render(context, values, visitor)
        else:
            html = fragment_kept(key)
            if html is None:
                html = self._render(context, values, visitor)
                fragment_keep(key, html)
        return with_token(html, context.get("csrf_token"))

    def _render(self, context: Context, values: dict[str, object], visitor: Visitor) -> str:
        # As an include with `only`: the page's other values are out of reach.
        isolated = context.new({**values, "user": visitor, "csrf_token": TOKEN_STAND_IN})
        return str(self.nodelist.render(isolated))


@register.tag
def fragment(parser: Parser, token: Token) -> FragmentNode:
    """Parse ``{% fragment name=value ... %}...{% endfragment %}``."""
    bits = token.split_contents()[1:]
    inputs = template.base.token_kwargs(bits, parser, support_legacy=False)
    if bits:
        raise template.TemplateSyntaxError(
            "fragment takes its inputs as name=value only; left over: " + " ".join(bits)
        )
    before = cast(list[Token], list(parser.tokens))  # the tokens still to parse, last first
    nodelist = parser.parse(("endfragment",))
    body = before[len(parser.tokens) :][::-1]
    source = hashlib.blake2b(digest_size=16)
    for part in body:
        source.update(f"{part.token_type.value}:{len(part.contents)}:".encode())
        source.update(part.contents.encode())
    parser.delete_first_token()
    return FragmentNode(nodelist, inputs, source.hexdigest())
