"""The ``{% fragment %}`` tag: a piece of a page rendered once per distinct inputs
(``glimpse.core.fragments``).

    {% load fragments %}
    {% fragment post=item.post ago=item.post.created_at|ago here=home_url %}
      ... uses post, ago, here, user.is_authenticated and {% csrf_token %} only ...
    {% endfragment %}

Fragments in a ``{% fragments_together %}`` block are fetched together: the block is drawn
with a mark in place of each, then every fragment it needs is read in one round trip, those
still missing are rendered (and kept in one more), and the marks are filled in. A page of
twenty feed cards reads all their fragments at once instead of one by one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
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
    fragments_keep,
    fragments_kept,
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
            together = context.get(TOGETHER)
            if isinstance(together, Together):
                return together.mark(key, self, values, visitor)
            html = fragment_kept(key)
            if html is None:
                html = self._render(context, values, visitor)
                fragment_keep(key, html)
        return with_token(html, context.get("csrf_token"))

    def _render(self, context: Context, values: dict[str, object], visitor: Visitor) -> str:
        # As an include with `only`: the page's other values are out of reach.
        isolated = context.new({**values, "user": visitor, "csrf_token": TOKEN_STAND_IN})
        return str(self.nodelist.render(isolated))


# The context variable of an open {% fragments_together %} block (a name no template can
# read: template variables never start with an underscore).
TOGETHER = "_fragments_together"
# A mark stands for a fragment until the block fills it in; random per process, so no text
# a user writes can name it.
MARK = "fragment" + secrets.token_hex(8) + ":"
_MARKS = re.compile(re.escape(MARK) + "([0-9a-f]+);")


@dataclass
class Together:
    """The fragments of one block, marked while it is drawn and filled in at its end."""

    context: Context
    waiting: dict[bytes, tuple[FragmentNode, dict[str, object], Visitor]] = field(
        default_factory=dict
    )

    def mark(
        self, key: bytes, node: FragmentNode, values: dict[str, object], visitor: Visitor
    ) -> str:
        """Note the fragment wanted under ``key``; return the mark that stands for it."""
        self.waiting.setdefault(key, (node, values, visitor))
        return f"{MARK}{key.hex()};"

    def fill(self, drawn: str) -> str:
        """Return the block with each mark replaced by its fragment: the kept ones read at
        once, the others rendered and kept at once, each with the viewer's CSRF token."""
        pieces = fragments_kept(self.waiting)
        rendered = {
            key: node._render(self.context, values, visitor)
            for key, (node, values, visitor) in self.waiting.items()
            if key not in pieces
        }
        fragments_keep(rendered)
        pieces.update(rendered)
        token = self.context.get("csrf_token")
        return _MARKS.sub(lambda mark: with_token(pieces[bytes.fromhex(mark[1])], token), drawn)


class FragmentsTogetherNode(Node):
    """Draw the body with its fragments marked, then fetch and fill them in together."""

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> str:
        together = Together(context)
        with context.push({TOGETHER: together}):
            drawn = str(self.nodelist.render(context))
        return together.fill(drawn)


@register.tag
def fragments_together(parser: Parser, token: Token) -> FragmentsTogetherNode:
    """Parse ``{% fragments_together %}...{% endfragments_together %}``."""
    if len(token.split_contents()) > 1:
        raise template.TemplateSyntaxError("fragments_together takes no arguments")
    nodelist = parser.parse(("endfragments_together",))
    parser.delete_first_token()
    return FragmentsTogetherNode(nodelist)


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
