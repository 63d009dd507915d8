"""Remote HTML made safe: what other servers' posts may show on our pages, and the plain
text a remote Note becomes as a Glimpse caption.

Other servers send a post's text as HTML (Mastodon's paragraphs, mention and hashtag links,
and its ``invisible``/``ellipsis`` spans that shorten long links). Shown on a page, it goes
through an allow-list; kept as a caption, it becomes plain text, never with markup left.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

# Mastodon's classes for mentions, hashtags and shortened links: the only ones kept.
SPAN_CLASSES = frozenset({"h-card", "mention", "hashtag", "u-url", "invisible", "ellipsis"})
LINK_REL = "nofollow noopener noreferrer"
# Elements dropped with everything inside them, not only their tags.
_DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "noscript",
        "template",
        "object",
        "svg",
        "math",
        "textarea",
        "select",
        "title",
    }
)
# Elements that end a paragraph of the plain text.
_BLOCKS = frozenset(
    {"p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_PARAGRAPH = "\n\n"
_SPACES = re.compile(r"\s+")
_LINE_ENDS = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def sanitize_html(html: str) -> str:
    """Return remote HTML with only paragraphs, line breaks, http(s) links and Mastodon's
    mention spans left, links marked ``nofollow noopener noreferrer``."""
    return nh3.clean(
        html,
        tags={"p", "br", "a", "span"},
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        allowed_classes={"span": set(SPAN_CLASSES)},
        url_schemes={"http", "https"},
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def html_to_text(html: str) -> str:
    """Return a remote post's HTML as plain text, as Mastodon shows it: paragraphs apart
    by a blank line, line breaks kept, links as their text, shortened links shortened."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = _LINE_ENDS.sub("\n", text)
    return _BLANK_LINES.sub(_PARAGRAPH, text).strip()


class _TextParser(HTMLParser):
    """Collect the visible text of an HTML fragment, with its breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []  # open elements whose content is not shown
        self._spans: list[str] = []  # what each open span adds when it closes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: a break, a hidden part, or a span to close later."""
        if self._skipping:
            if tag == self._skipping[-1] or tag in _DROPPED_WITH_CONTENT or tag == "span":
                self._skipping.append(tag)
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _DROPPED_WITH_CONTENT or (tag == "span" and "invisible" in classes):
            self._skipping.append(tag)
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)
        elif tag == "span":
            self._spans.append("…" if "ellipsis" in classes else "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Treat ``<br/>`` as ``<br>``; other self-closed elements hold no text."""
        if tag == "br" and not self._skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """Close an element: end a hidden part, a paragraph, or a span."""
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in _BLOCKS:
            self.parts.append(_PARAGRAPH)
        elif tag == "span" and self._spans:
            self.parts.append(self._spans.pop())

    def handle_data(self, data: str) -> None:
        """Keep visible text, its runs of white space made one space (as HTML shows them)."""
        if not self._skipping:
            self.parts.append(_SPACES.sub(" ", data))
