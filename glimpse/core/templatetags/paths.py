"""The ``{% url %}`` tag, through ``glimpse.core.paths.path_to`` (a builtin of every
template, in place of Django's own): the same parsing and answers, reversed once a name."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import Context
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from glimpse.core.paths import path_to

register = template.Library()


class PathNode(URLNode):
    """Django's URLNode, reversing positional arguments through ``path_to``."""

    def render(self, context: Context) -> str:
        """Answer the path as Django's node does (or set ``asvar``)."""
        if self.kwargs:
            return str(super().render(context))
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        request: Any = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        path = ""
        try:
            path = path_to(view_name, args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = path
            return ""
        return str(conditional_escape(path)) if context.autoescape else path


@register.tag
def url(parser: Parser, token: Token) -> PathNode:
    """Parse ``{% url %}`` as Django does, into a ``PathNode``."""
    node = django_url(parser, token)
    return PathNode(node.view_name, node.args, node.kwargs, node.asvar)
