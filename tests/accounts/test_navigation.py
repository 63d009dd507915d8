"""The navigation shell: five destinations, notifications on top, the menu under the profile,
and logging out only after a confirmation (a POST)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from glimpse.accounts.models import User
from glimpse.graph import services as graph

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def main_nav(html: str) -> str:
    """Return the signed-in main navigation (the bottom bar and the sidebar)."""
    found = re.search(r'<nav class="sidenav" aria-label="Main">(.*?)</nav>', html, re.S)
    assert found is not None
    return found.group(1)


def destinations(nav: str) -> list[str]:
    """Return the labels of the navigation's destinations, in order (not the "More" menu)."""
    top = nav.split('<details class="sidenav__more"')[0]
    return re.findall(r'<span class="sidenav__label">([^<]+)</span>', top)


def test_the_main_destinations_and_what_sits_under_more(user: User) -> None:
    html = signed_in(user).get(reverse("home")).content.decode()
    nav = main_nav(html)
    # Reels joins between Create and Messages once its page exists.
    assert destinations(nav) in (
        ["Home", "Search", "Create", "Messages", "Notifications", "Profile"],
        ["Home", "Search", "Create", "Reels", "Messages", "Notifications", "Profile"],
    )
    assert f'href="{reverse("feeds:explore")}"' in nav
    assert f'href="{reverse("profile", args=[user.username])}"' in nav
    more = nav.split('<details class="sidenav__more"')[1]
    for name in ("accounts:settings", "insights:account", "accounts:logout"):
        assert f'href="{reverse(name)}"' in more
    assert f'href="{reverse("moderation:queue")}"' not in html
    # Logging out is a link to the confirmation, never a form in the navigation.
    assert 'action="/accounts/logout/"' not in nav
    assert "data-logout" in more


def test_the_navigation_carries_the_one_notifications_badge(
    user: User, make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    fan = make_user("bo")
    with django_capture_on_commit_callbacks(execute=True):
        graph.follow_create(follower=fan, followee=user)
    html = signed_in(user).get(reverse("home")).content.decode()
    nav = main_nav(html)
    assert f'href="{reverse("notifications:list")}" data-notifications-link' in nav
    # One link and one badge: the stylesheet puts them in the top bar on a phone.
    assert html.count("data-notifications-badge") == 1
    assert html.count("data-notifications-link") == 1
    assert "<span data-notifications-count>1</span>" in nav
    assert 'class="sidenav__entry sidenav__entry--notes"' in nav


def test_moderators_find_their_queue_under_more_and_in_the_menu(user: User) -> None:
    user.user_permissions.add(Permission.objects.get(codename="moderate"))
    client = signed_in(User.objects.get(pk=user.pk))
    more = main_nav(client.get(reverse("home")).content.decode()).split("sidenav__more")[1]
    assert f'href="{reverse("moderation:queue")}"' in more
    menu = client.get(reverse("menu")).content.decode()
    assert f'href="{reverse("moderation:queue")}"' in menu


def test_the_menu_under_the_profile(user: User) -> None:
    client = signed_in(user)
    profile = client.get(reverse("profile", args=[user.username])).content.decode()
    assert profile.count(f'href="{reverse("menu")}"') == 2  # the top bar's and the gear's
    answer = client.get(reverse("menu"))
    assert answer.status_code == 200
    html = answer.content.decode()
    main = html.split('id="main"')[1]
    for name in ("accounts:settings", "insights:account", "posts:saved", "accounts:logout"):
        assert f'href="{reverse(name)}"' in main
    assert f'href="{reverse("moderation:queue")}"' not in html
    lit = f'sidenav__item is-active" href="{reverse("profile", args=[user.username])}"'
    assert lit in main_nav(html)  # the menu sits under the profile


def test_the_menu_is_for_signed_in_people() -> None:
    answer = Client().get(reverse("menu"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


def test_someone_elses_profile_has_no_menu_button(
    user: User, make_user: Callable[..., User]
) -> None:
    other = make_user("bo")
    html = signed_in(user).get(reverse("profile", args=[other.username])).content.decode()
    assert f'href="{reverse("menu")}"' not in html


def test_the_logout_page_asks_and_its_form_posts(user: User) -> None:
    client = signed_in(user)
    answer = client.get(reverse("accounts:logout"))
    assert answer.status_code == 200
    html = answer.content.decode()
    main = html.split('id="main"')[1]
    assert "Log out of Glimpse?" in main
    assert re.search(r'<form method="post" action="/accounts/logout/"', main)
    assert "csrfmiddlewaretoken" in main
    assert client.session.get("_auth_user_id") == str(user.pk)
    back = client.get(reverse("accounts:logout") + "?next=/explore/").content.decode()
    assert 'href="/explore/">Cancel</a>' in back
    away = client.get(reverse("accounts:logout") + "?next=https://evil.example/").content.decode()
    assert "evil.example" not in away
    answer = client.post(reverse("accounts:logout"))
    assert answer.status_code == 302
    assert client.session.get("_auth_user_id") is None
    # Signed out, the question has nothing to ask.
    assert client.get(reverse("accounts:logout"))["Location"] == reverse("home")


def test_every_page_has_the_logout_dialog_with_its_post_form(user: User) -> None:
    html = signed_in(user).get(reverse("feeds:explore")).content.decode()
    dialog = html.split('<dialog class="dialog" id="logout-dialog"')[1].split("</dialog>")[0]
    assert '<form method="post" action="/accounts/logout/"' in dialog
    assert "csrfmiddlewaretoken" in dialog
    assert "data-dialog-close" in dialog


def test_explore_carries_the_search_box_on_top(user: User) -> None:
    html = signed_in(user).get(reverse("feeds:explore")).content.decode()
    main = html.split('id="main"')[1]
    assert main.count('id="topbar-search"') == 1
    assert html.count('id="topbar-search"') == 1
    assert main.index('id="topbar-search"') < main.index("<h1")
    # Elsewhere the signed-in pages carry no search box; visitors have it in the top bar.
    assert 'id="topbar-search"' not in signed_in(user).get(reverse("home")).content.decode()
    login = Client().get(reverse("accounts:login")).content.decode()
    assert 'id="topbar-search"' in login.split("</header>")[0]


def test_visitors_get_log_in_and_sign_up_and_no_sidebar(db: None) -> None:
    html = Client().get(reverse("accounts:login")).content.decode()
    assert 'class="sidenav"' not in html
    assert 'id="logout-dialog"' not in html
    nav = html.split('<nav class="nav" aria-label="Main">')[1].split("</nav>")[0]
    assert f'href="{reverse("accounts:login")}"' in nav
    assert f'href="{reverse("accounts:signup")}"' in nav


@pytest.mark.parametrize(
    "path", ["/explore/", "/search/?q=sea", "/explore/tags/sea/", "/explore/tags/nothing_here/"]
)
def test_search_is_lit_on_explore_search_and_hashtag_pages(user: User, path: str) -> None:
    html = signed_in(user).get(path).content.decode()
    lit = f'sidenav__item is-active" href="{reverse("feeds:explore")}"'
    assert lit in html
    assert html.count("sidenav__item is-active") == 1
