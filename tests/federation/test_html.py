"""Remote HTML: what survives on our pages, and the plain text a remote Note becomes.

The examples are written by hand in the shapes Mastodon, Pixelfed and GoToSocial send.
"""

from __future__ import annotations

import pytest

from glimpse.federation.html import html_to_text, sanitize_html

MASTODON = (
    '<p>Hello <span class="h-card" translate="no"><a href="https://mastodon.example/@bob" '
    'class="u-url mention">@<span>bob</span></a></span> '
    '<a href="https://mastodon.example/tags/sunset" class="mention hashtag" rel="tag">'
    "#<span>sunset</span></a></p>"
    "<p>First line<br />second line &amp; more</p>"
    '<p>Read <a href="https://news.example/2026/12/a-very-long-article-name" target="_blank" '
    'rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://</span>'
    '<span class="ellipsis">news.example/2026/12/a-very-lo</span>'
    '<span class="invisible">ng-article-name</span></a></p>'
)

PIXELFED = (
    'Golden hour at the pier <a href="https://pixelfed.example/discover/tags/sunset?src=hash" '
    'title="#sunset" class="u-url hashtag" rel="external nofollow noopener">#sunset</a> '
    '<a href="https://pixelfed.example/discover/tags/sea?src=hash" title="#sea" '
    'class="u-url hashtag" rel="external nofollow noopener">#sea</a><br />'
    'with <a class="u-url mention" href="https://pixelfed.example/ana" '
    'rel="external nofollow noopener" target="_blank">@ana</a>'
)

GOTOSOCIAL = (
    '<p>hi <span class="h-card"><a href="https://gts.example/@bob" class="u-url mention" '
    'rel="nofollow noreferrer noopener" target="_blank">@<span>bob</span></a></span>, '
    'look: <a href="https://gts.example/tags/sunset" class="mention hashtag" '
    'rel="tag nofollow noreferrer noopener" target="_blank">#<span>sunset</span></a></p>'
    "<p>it&#39;s   &lt;lovely&gt;&nbsp;today</p>"
)


# --- sanitize_html -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>hi<script>alert(1)</script></p>", "<p>hi</p>"),
        ("<style>p { color: red }</style><p>hi</p>", "<p>hi</p>"),
        ('<p>a<img src="x" onerror="alert(1)">b</p>', "<p>ab</p>"),
        ('<p onclick="alert(1)" style="color:red" class="x">hi</p>', "<p>hi</p>"),
        ('<iframe src="https://evil.example/">inside</iframe><p>hi</p>', "<p>hi</p>"),
        ("<p><b>bold</b> <em>em</em></p>", "<p>bold em</p>"),
        ("<p>a<!-- comment -->b</p>", "<p>ab</p>"),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
    ],
)
def test_what_is_not_allowed_is_stripped(dirty: str, clean: str) -> None:
    assert sanitize_html(dirty) == clean


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "//evil.example/",
        "/relative",
    ],
)
def test_links_keep_only_http_and_https_addresses(href: str) -> None:
    cleaned = sanitize_html(f'<a href="{href}">x</a>')
    assert "href" not in cleaned
    assert cleaned == '<a rel="nofollow noopener noreferrer">x</a>'


def test_links_are_marked_and_lose_their_target() -> None:
    cleaned = sanitize_html('<a href="https://a.example/" target="_blank" rel="me">a</a>')
    assert cleaned == '<a href="https://a.example/" rel="nofollow noopener noreferrer">a</a>'


def test_mentions_and_hashtags_are_kept() -> None:
    cleaned = sanitize_html(MASTODON)
    assert cleaned.startswith(
        '<p>Hello <span class="h-card"><a href="https://mastodon.example/@bob" '
        'rel="nofollow noopener noreferrer">@<span>bob</span></a></span> '
        '<a href="https://mastodon.example/tags/sunset" rel="nofollow noopener noreferrer">'
        "#<span>sunset</span></a></p>"
    )
    assert '<span class="invisible">https://</span>' in cleaned
    assert '<span class="ellipsis">news.example/2026/12/a-very-lo</span>' in cleaned
    assert "<br>" in cleaned
    assert "translate" not in cleaned


def test_span_classes_are_limited_to_mastodons() -> None:
    assert sanitize_html('<span class="mention evil">x</span>') == '<span class="mention">x</span>'


# --- html_to_text ------------------------------------------------------------------------------


def test_mastodon_content_becomes_a_caption() -> None:
    assert html_to_text(MASTODON) == (
        "Hello @bob #sunset\n\nFirst line\nsecond line & more\n\n"
        "Read news.example/2026/12/a-very-lo…"
    )


def test_pixelfed_content_becomes_a_caption() -> None:
    assert html_to_text(PIXELFED) == "Golden hour at the pier #sunset #sea\nwith @ana"


def test_gotosocial_content_becomes_a_caption() -> None:
    assert html_to_text(GOTOSOCIAL) == "hi @bob, look: #sunset\n\nit's <lovely> today"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a</p>\n\n<p>b</p>", "a\n\nb"),
        ("<p>  spaced \n out  </p>", "spaced out"),
        ("a<br><br><br><br>b", "a\n\nb"),
        ("<p>a<script>alert('x')</script><style>p{}</style>b</p>", "ab"),
        ('<p>x<img src="y" alt="z">w</p>', "xw"),
        ("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo"),
        ("<blockquote><p>quoted</p></blockquote><p>reply</p>", "quoted\n\nreply"),
        ('<span class="invisible">hidden <span>nested</span> still</span>shown', "shown"),
        ("&lt;b&gt;not markup&lt;/b&gt; &amp;&#x26;", "<b>not markup</b> &&"),
        ("", ""),
        ("plain", "plain"),
    ],
)
def test_html_to_text_cases(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_html_to_text_leaves_no_markup() -> None:
    text = html_to_text(MASTODON + PIXELFED + GOTOSOCIAL + "<b>x</b><i>y</i>")
    assert "<span" not in text
    assert "<a " not in text
    assert "<p>" not in text
    assert "href" not in text
