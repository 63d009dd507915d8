"""Hashtags and mentions are read from text the way people write them, in every script."""

from __future__ import annotations

import pytest

from glimpse.posts.text import clean_text, extract_hashtags, extract_mentions, hashtag_key

PERSIAN = "#\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#Sunset at the #beach", ["sunset", "beach"]),
        ("#Hello #HELLO #hello", ["hello"]),  # one tag, whatever the case
        ("#café and #cafe\u0301", ["café"]),  # precomposed and combining accent are one
        ("#\uff26\uff35\uff2c\uff2cwidth #\ufb01sh", ["fullwidth", "fish"]),  # compatibility forms
        ("#नमस्ते #தமிழ்", ["नमस्ते", "தமிழ்"]),  # Indic vowel signs are marks inside words
        ("#سلام #שָׁלוֹם", ["سلام", "שָׁלוֹם"]),  # right-to-left scripts, with points
        (PERSIAN, [PERSIAN[1:]]),  # Persian: the zero-width non-joiner stays inside
        ("#sun☀️ and #☀️", ["sun"]),  # an emoji ends a tag and is never one
        ("#️⃣ keycap", []),  # the keycap emoji starts with #
        ("# alone", []),
        ("#", []),
        ("##double", []),
        ("#123 #_", []),  # a tag needs a letter
        ("#2024goals", ["2024goals"]),
        ("example.com/#frag https://x.org/p#top www.site.com/#x #real", ["real"]),
        ("a#b &#123; C#", []),  # inside words and entities
        ("(#paren), #end. x.#dot", ["paren", "end", "dot"]),
        ("#tag\u202eevil", ["tag"]),  # a bidi override is not part of a tag
        ("#İstanbul #istanbul", ["i̇stanbul", "istanbul"]),
    ],
)
def test_hashtags(text: str, tags: list[str]) -> None:
    assert extract_hashtags(text) == tags


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("hi @Ana and @bob.", ["ana", "bob"]),
        ("@ana @ANA", ["ana"]),
        ("mail ana@example.com", []),
        ("https://medium.com/@joe", []),
        ("@" + "a" * 31, []),  # longer than any username
        ("@@z @", []),
        ("(@ana.lima_)", ["ana.lima_"]),
        # Another server's account, by its handle: not the account "bob" here.
        ("hi @bob@remote.example and @ana", ["ana"]),
        ("@bob.@x.example", []),
    ],
)
def test_mentions(text: str, names: list[str]) -> None:
    assert extract_mentions(text) == names


def test_hashtag_key_accepts_a_leading_hash_and_any_case() -> None:
    assert hashtag_key("#SunSet") == hashtag_key("sunset") == "sunset"


def test_clean_text_keeps_lines_and_drops_controls() -> None:
    assert clean_text("  a\r\nb\x00c\x1b\td\u0085 ") == "a\nbc\td"
