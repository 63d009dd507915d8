"""Search selectors: each kind, prefix and fuzzy per backend, from:me and the visibility policy."""

from __future__ import annotations

import pytest
from django.db import connection

from glimpse.core.errors import InvalidInput, NotAuthenticated
from glimpse.graph import services as graph
from glimpse.posts import services
from glimpse.posts.models import Hashtag, Post
from glimpse.posts.services import ItemSpec, PlaceSpec
from glimpse.search import selectors
from tests.posts.conftest import follow

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def names(accounts) -> list[str]:
    return [account.username for account in accounts]


def test_accounts_by_username_and_display_name_prefix_first(make_user) -> None:
    make_user("marina", display_name="Marina Costa")
    make_user("costa_rica", display_name="Rica")
    make_user("zed", display_name="Zed Marinho")
    make_user("other")
    # Prefix of a username or of a display name first, then matches inside a name.
    assert names(selectors.search_accounts(viewer=None, q="mari")) == ["marina", "zed"]
    assert names(selectors.search_accounts(viewer=None, q="@Costa")) == ["costa_rica", "marina"]
    # PostgreSQL also finds close names (trigrams), after the exact substring match.
    close = ["zed", "marina"] if POSTGRES else ["zed"]
    assert names(selectors.search_accounts(viewer=None, q="MARINHO")) == close
    assert names(selectors.search_accounts(viewer=None, q="mari", limit=1)) == ["marina"]


def test_accounts_fuzzy_per_backend(make_user) -> None:
    make_user("photographer", display_name="Lens Person")
    typo = names(selectors.search_accounts(viewer=None, q="fotographer"))
    if POSTGRES:
        # Trigram similarity: a typo still finds the account.
        assert typo == ["photographer"]
    else:
        # The embedded default matches prefixes and substrings only (documented).
        assert typo == []
    assert names(selectors.search_accounts(viewer=None, q="tograph")) == ["photographer"]


def test_accounts_hidden_by_a_block_either_way(make_user) -> None:
    ana, bea, cid = make_user("ana"), make_user("anabel"), make_user("anacleto")
    graph.block_create(blocker=ana, blocked=bea)
    graph.block_create(blocker=cid, blocked=ana)
    assert names(selectors.search_accounts(viewer=ana, q="ana")) == ["ana"]
    assert names(selectors.search_accounts(viewer=bea, q="ana")) == ["anabel", "anacleto"]
    assert names(selectors.search_accounts(viewer=None, q="ana")) == ["ana", "anabel", "anacleto"]
    cid.is_active = False
    cid.save()
    assert names(selectors.search_accounts(viewer=None, q="ana")) == ["ana", "anabel"]


def test_hashtags_by_prefix_with_visible_counts(make_user, publish) -> None:
    ana = make_user("ana")
    publish(ana, caption="#travel #travelgram")
    publish(ana, caption="#Travel #trip")
    found = selectors.search_hashtags(viewer=None, q="#TRAV")
    counted = [(t.name, getattr(t, "visible_count", None)) for t in found]
    assert counted == [("travel", 2), ("travelgram", 1)]
    assert [t.name for t in selectors.search_hashtags(viewer=None, q="tr", limit=1)] == ["travel"]
    assert selectors.search_hashtags(viewer=None, q="ravel") == []  # prefix only
    Hashtag.objects.filter(name="trip").update(post_count=0)  # no live post left
    assert selectors.search_hashtags(viewer=None, q="trip") == []


def test_places_by_name_and_near_a_position(make_user, publish) -> None:
    ana = make_user("ana")
    publish(ana, place=PlaceSpec(name="Harbour Pier", lat=38.70, lng=-9.14))
    publish(ana, place=PlaceSpec(name="Old Harbour", lat=41.15, lng=-8.61))
    assert [p.name for p in selectors.search_places(viewer=None, q="harbour")] == [
        "Harbour Pier",
        "Old Harbour",
    ]
    near = selectors.search_places(viewer=None, q="", lat=38.71, lng=-9.14)
    assert [p.name for p in near] == ["Harbour Pier"]
    assert near[0].distance_km == pytest.approx(1.1, abs=0.1)
    with pytest.raises(InvalidInput):
        selectors.search_places(viewer=None, q="")


def test_posts_by_caption_and_alt_text(make_user, publish) -> None:
    ana = make_user("ana")
    sunset = publish(ana, caption="A red sunset over the sea")
    dog = publish(ana, caption="Look!", items=[ItemSpec(alt_text="A brown dog on a sofa")])
    publish(ana, caption="Breakfast")
    found = selectors.search_posts(viewer=None, q="sunset")
    assert [p.id for p in found] == [sunset.pk]
    assert found[0].author.username == "ana"  # hydrated
    assert [p.id for p in selectors.search_posts(viewer=None, q="dog")] == [dog.pk]
    assert [p.id for p in selectors.search_posts(viewer=None, q="Red SEA")] == [sunset.pk]
    assert selectors.search_posts(viewer=None, q="sunset dog") == []  # every word


def test_posts_from_me(make_user, publish) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    mine = publish(ana, caption="beach day")
    publish(bea, caption="beach night")
    assert {p.id for p in selectors.search_posts(viewer=ana, q="beach")} == {
        mine.pk,
        Post.objects.get(author=bea).pk,
    }
    assert [p.id for p in selectors.search_posts(viewer=ana, q="beach from:me")] == [mine.pk]
    assert [p.id for p in selectors.search_posts(viewer=ana, q="FROM:ME")] == [mine.pk]
    assert selectors.search_posts(viewer=bea, q="from:me day") == []
    with pytest.raises(NotAuthenticated):
        selectors.search_posts(viewer=None, q="beach from:me")


def test_posts_obey_visibility(make_user, publish) -> None:
    ana, bea, cid = make_user("ana"), make_user("bea"), make_user("cid")
    hidden = make_user("hidden", is_private=True)
    private = publish(hidden, caption="secret garden")
    archived = publish(ana, caption="garden archived")
    services.post_archive(actor=ana, post_id=archived.pk)
    blocked = publish(cid, caption="garden of cid")
    graph.block_create(blocker=cid, blocked=bea)
    public = publish(ana, caption="garden party")
    # Private and not followed, archived (even for its author), blocked: never found.
    assert [p.id for p in selectors.search_posts(viewer=bea, q="garden")] == [public.pk]
    assert [p.id for p in selectors.search_posts(viewer=ana, q="garden from:me")] == [public.pk]
    assert {p.id for p in selectors.search_posts(viewer=None, q="garden")} == {
        public.pk,
        blocked.pk,
    }
    follow(bea, hidden)
    assert private.pk in {p.id for p in selectors.search_posts(viewer=bea, q="garden")}


def test_top_combines_every_kind(make_user, publish) -> None:
    ana = make_user("surfer")
    publish(ana, caption="#surfing at dawn", place=PlaceSpec(name="Surf Point"))
    top = selectors.search_top(viewer=None, q="surf")
    assert names(top["accounts"]) == ["surfer"]
    assert [t.name for t in top["hashtags"]] == ["surfing"]
    assert [p.name for p in top["places"]] == ["Surf Point"]
    if POSTGRES:
        assert top["posts"] == []  # full-text matches whole words: "surf" is not "surfing"
    else:
        assert len(top["posts"]) == 1  # the embedded default matches inside words
    mine = selectors.search_top(viewer=ana, q="from:me")
    assert len(mine["posts"]) == 1
    assert mine["accounts"] == mine["hashtags"] == mine["places"] == []


@pytest.mark.parametrize("q", ["", "   ", "x" * 101])
def test_bad_queries(q: str) -> None:
    with pytest.raises(InvalidInput):
        selectors.search_hashtags(viewer=None, q=q)
    with pytest.raises(InvalidInput):
        selectors.search_places(viewer=None, q=q)
    with pytest.raises(InvalidInput):
        selectors.search_accounts(viewer=None, q=q)
    with pytest.raises(InvalidInput):
        selectors.search_posts(viewer=None, q=q)
    with pytest.raises(InvalidInput):
        selectors.search_top(viewer=None, q=q)


def test_searched_hashtags_and_places_count_only_what_the_viewer_may_see(
    make_user, publish
) -> None:
    ana, shy, rude = make_user("ana"), make_user("shy", is_private=True), make_user("rude")
    viewer, follower = make_user("viewer"), make_user("follower")
    follow(follower, shy)
    harbour = PlaceSpec(name="Harbour")
    publish(ana, caption="#sea", place=harbour)
    publish(shy, caption="#sea #secret", place=harbour)
    publish(shy, caption="#secret", place=PlaceSpec(name="Hidden cove"))
    publish(rude, caption="#sea", place=harbour)
    graph.block_create(blocker=viewer, blocked=rude)

    def tags(who) -> list[tuple[str, int | None]]:
        found = selectors.search_hashtags(viewer=who, q="s")
        return [(t.name, getattr(t, "visible_count", None)) for t in found]

    def places(who) -> list[tuple[str, int | None]]:
        found = selectors.search_places(viewer=who, q="h")
        return [(p.name, getattr(p, "visible_count", None)) for p in found]

    assert tags(viewer) == [("sea", 1)]  # a tag of a private account's posts alone is not found
    assert places(viewer) == [("Harbour", 1)]
    assert tags(follower) == [("sea", 3), ("secret", 2)]
    assert places(follower) == [("Harbour", 3), ("Hidden cove", 1)]
    assert tags(None) == [("sea", 2)]


def test_a_search_checks_the_most_used_names_against_the_policy_in_constant_queries(
    make_user, publish, settings, django_assert_num_queries, monkeypatch
) -> None:
    from glimpse.posts.selectors import discovery

    ana = make_user("ana")
    for uses, tag in ((3, "sun"), (2, "sunny"), (1, "sundown")):
        for _ in range(uses):
            publish(ana, caption=f"#{tag}", place=PlaceSpec(name=f"{tag} bay"))
    selectors.search_hashtags(viewer=ana, q="sun")  # the limited servers' list, read once
    # Candidates, the policy check on them, their counts: three queries however many match.
    with django_assert_num_queries(3):
        assert [t.name for t in selectors.search_hashtags(viewer=ana, q="sun")] == [
            "sun",
            "sunny",
            "sundown",
        ]
    with django_assert_num_queries(3):
        assert len(selectors.search_places(viewer=ana, q="sun")) == 3
    # Only the most used names are candidates: a name used less is left out past the cap.
    monkeypatch.setattr(discovery, "SEARCH_CANDIDATES", 2)
    assert [t.name for t in selectors.search_hashtags(viewer=ana, q="sun")] == ["sun", "sunny"]
    assert [p.name for p in selectors.search_places(viewer=ana, q="sun")] == [
        "sun bay",
        "sunny bay",
    ]
