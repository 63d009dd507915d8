"""The /search/ page and the search box in the top bar."""

from __future__ import annotations

import pytest

from glimpse.graph import services as graph

pytestmark = pytest.mark.django_db


def test_search_page_lists_results(client, make_user, publish) -> None:
    ana = make_user("harbour_ana")
    post = publish(ana, caption="Boats at the #harbour")
    page = client.get("/search/", {"q": "harbour"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/harbour_ana/"' in html
    assert 'href="/explore/tags/harbour/"' in html
    assert f'data-tile="{post.pk}"' in html  # the post's thumbnail


def test_search_page_without_a_query_and_with_errors(client, make_user) -> None:
    assert client.get("/search/").status_code == 200
    page = client.get("/search/", {"q": "x" * 101})
    assert page.status_code == 200
    assert "At most 100 characters." in page.content.decode()
    page = client.get("/search/", {"q": "from:me", "type": "posts"})
    assert "Log in to search your own posts" in page.content.decode()


def test_search_page_obeys_blocks(client, make_user) -> None:
    viewer, bea = make_user("viewer"), make_user("blocker_bea")
    graph.block_create(blocker=bea, blocked=viewer)
    client.force_login(viewer)
    page = client.get("/search/", {"q": "blocker", "type": "accounts"})
    assert "blocker_bea" not in page.content.decode()
    assert "No results" in page.content.decode()


def test_explore_and_the_visitors_top_bar_have_the_search_box(client, user) -> None:
    visitor = client.get("/search/").content.decode()
    assert 'id="topbar-search"' in visitor.split("</header>")[0]
    client.force_login(user)
    html = client.get("/explore/").content.decode()
    assert 'id="topbar-search"' in html.split('id="main"')[1]
    assert "js/search.js" in html
    assert "<script>" not in html  # no inline script
