"""The web pages of accounts, through Django's test client, checked against the database."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from glimpse.accounts.models import ApiToken, User
from glimpse.accounts.services import token_create
from glimpse.core.views import server_error
from tests.accounts.images import jpeg_with_gps
from tests.conftest import PASSWORD

NEW_PASSWORD = "another-quite-unusual-passphrase"


def avatar_files(user: User) -> list[Path]:
    """Return the avatar files stored for an account."""
    folder = Path(django_settings.MEDIA_ROOT) / "avatars" / str(user.pk)
    return sorted(folder.glob("*.webp")) if folder.exists() else []


def logged_in_id(client: Client) -> str | None:
    """Return the id of the account the client's session is logged in as."""
    return client.session.get("_auth_user_id")


def page(response: Any) -> str:
    """Return the body of a response as text."""
    return response.content.decode()


# --- Pages render -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "accounts:signup",
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
    ],
)
def test_public_pages_render(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = page(response)
    assert '<meta name="viewport"' in body
    assert "Glimpse" in body


def test_landing_page_for_visitors(client: Client, db: None) -> None:
    response = client.get(reverse("home"))
    body = page(response)
    assert response.status_code == 200
    assert reverse("accounts:signup") in body
    assert reverse("accounts:login") in body
    assert "Create an account" in body


def test_home_lists_newest_accounts_for_logged_in(
    client: Client, user: User, make_user: Callable[..., User]
) -> None:
    bea = make_user("bea", display_name="Bea Costa")
    cid = make_user("cid")
    client.force_login(user)
    response = client.get(reverse("home"))
    body = page(response)
    assert response.status_code == 200
    assert "Welcome, Ana Lima" in body
    assert "New on Glimpse" in body
    for other in (bea, cid):
        assert f'href="{reverse("profile", args=[other.username])}"' in body
    assert "Bea Costa" in body
    # The newest first, and the viewer is not suggested to themself.
    assert body.index(">cid<") < body.index(">bea<")
    assert f'class="people__username">{user.username}' not in body


def _post_forms(body: str) -> int:
    # GET forms (the top bar's search) carry no token: it would end up in the URL.
    return len(re.findall(r'<form[^>]*method="post"', body, re.IGNORECASE))


def test_every_form_carries_a_csrf_token(client: Client, user: User) -> None:
    token_create(user=user, name="laptop")
    pages = [
        reverse("accounts:signup"),
        reverse("accounts:login"),
        reverse("accounts:password_reset"),
    ]
    for url in pages:
        body = page(client.get(url))
        assert _post_forms(body) == body.count("csrfmiddlewaretoken"), url
    client.force_login(user)
    for url in [
        reverse("home"),
        reverse("accounts:profile_edit"),
        reverse("accounts:settings"),
        reverse("profile", args=[user.username]),
    ]:
        body = page(client.get(url))
        assert _post_forms(body) == body.count("csrfmiddlewaretoken"), url
        assert _post_forms(body) >= 1


def test_post_without_csrf_token_is_refused(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("accounts:profile_edit"), {"bio": "sneaky"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.bio == ""


# --- Profile page -----------------------------------------------------------------------


def test_profile_page_shows_the_account(client: Client, make_user: Callable[..., User]) -> None:
    owner = make_user(
        "lena",
        display_name="Lena Park",
        bio="Film photos & <b>coffee</b>",
        website="https://lena.example/",
        follower_count=12,
        following_count=1,
    )
    response = client.get(reverse("profile", args=["lena"]))
    body = page(response)
    assert response.status_code == 200
    assert "Lena Park" in body
    assert ">lena<" in body
    assert "Film photos &amp; &lt;b&gt;coffee&lt;/b&gt;" in body  # escaped, never raw HTML
    assert 'href="https://lena.example/" rel="nofollow noopener"' in body
    assert "<strong>0</strong> posts" in body
    assert "<strong>12</strong> followers" in body
    assert "<strong>1</strong> following" in body
    assert "No posts yet" in body
    assert "Edit profile" not in body
    assert "Private" not in body
    # No picture: a coloured circle with the initial.
    assert "avatar--initial" in body
    assert ">L</span>" in body
    owner.refresh_from_db()
    assert owner.display_name == "Lena Park"


def test_own_profile_has_edit_button_and_private_badge(
    client: Client, make_user: Callable[..., User]
) -> None:
    owner = make_user("milo", is_private=True)
    client.force_login(owner)
    body = page(client.get(reverse("profile", args=["milo"])))
    assert reverse("accounts:profile_edit") in body
    assert "Edit profile" in body
    assert "Private" in body


def test_private_profile_seen_by_a_stranger(
    client: Client, user: User, make_user: Callable[..., User]
) -> None:
    make_user("milo", is_private=True)
    client.force_login(user)
    body = page(client.get(reverse("profile", args=["milo"])))
    assert "This account is private" in body
    assert "Edit profile" not in body


def test_profile_url_in_another_case_redirects(client: Client, user: User) -> None:
    response = client.get("/ANA/")
    assert response.status_code == 302
    assert response["Location"] == reverse("profile", args=["ana"])


def test_unknown_profile_is_a_404_page(client: Client, db: None) -> None:
    response = client.get(reverse("profile", args=["nobody.here"]))
    assert response.status_code == 404
    assert "this page isn't available" in page(response)


def test_server_error_page_renders(rf: Any) -> None:
    response = server_error(rf.get("/somewhere/"))
    assert response.status_code == 500
    assert "Something went wrong on our side." in page(response)


def test_home_answers_head_requests(client: Client, db: None) -> None:
    assert client.head(reverse("home")).status_code == 200


def test_unknown_page_is_a_404_page(client: Client, db: None) -> None:
    response = client.get("/accounts/nothing/here/")
    assert response.status_code == 404
    assert "this page isn't available" in page(response)


# --- Sign-up ----------------------------------------------------------------------------


def test_signup_creates_the_account_and_logs_in(client: Client, db: None) -> None:
    response = client.post(
        reverse("accounts:signup"),
        {"username": "  Nora.B ", "email": "nora@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    created = User.objects.get(username="nora.b")
    assert created.email == "nora@example.com"
    assert created.check_password(PASSWORD)
    assert logged_in_id(client) == str(created.pk)
    body = page(client.get(reverse("home")))
    assert "Welcome to Glimpse, @nora.b!" in body


@pytest.mark.parametrize(
    ("username", "email", "password", "field_message"),
    [
        ("bad name!", "x@example.com", PASSWORD, "Use only lowercase letters"),
        ("ANA", "other@example.com", PASSWORD, "This username is taken"),
        ("zoe", "ana@example.com", PASSWORD, "An account already uses this email"),
        ("zoe", "zoe@example.com", "password", "This password is too common"),
        ("zoe", "zoe@example.com", "12345678901", "This password is entirely numeric"),
        ("settings", "s@example.com", PASSWORD, "This username is reserved"),
        ("verify_credentials", "v@example.com", PASSWORD, "This username is reserved"),
        ("246860955954074624", "n@example.com", PASSWORD, "needs at least one letter"),
        ("zoe", "not-an-email", PASSWORD, "Enter a valid email address"),
    ],
)
def test_signup_errors_show_messages_and_create_nothing(
    client: Client, user: User, username: str, email: str, password: str, field_message: str
) -> None:
    before = set(User.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("accounts:signup"), {"username": username, "email": email, "password": password}
    )
    assert response.status_code in (409, 422)
    assert field_message in page(response)
    assert set(User.objects.values_list("pk", flat=True)) == before
    assert logged_in_id(client) is None
    # The password is never echoed back into the page.
    assert f'value="{password}"' not in page(response)


def test_signup_with_missing_fields_creates_nothing(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:signup"), {"username": "", "email": ""})
    assert response.status_code == 422
    assert "This field is required." in page(response)
    assert not User.objects.exists()


def test_signup_shows_every_problem_at_once(client: Client, user: User) -> None:
    # The form finds the empty email; the taken username and the common password are the
    # service's findings, shown in the same answer rather than after the email is fixed.
    response = client.post(
        reverse("accounts:signup"), {"username": "ana", "email": "", "password": "password"}
    )
    assert response.status_code == 422
    text = page(response)
    assert "This field is required." in text
    assert "This username is taken" in text
    assert "This password is too common" in text
    assert User.objects.count() == 1


def test_signup_is_rate_limited_per_address(client: Client, settings: Any, db: None) -> None:
    limit, _ = settings.GLIMPSE_RATE_SIGNUP
    for number in range(limit):
        response = client.post(
            reverse("accounts:signup"),
            {
                "username": f"bulk{number}",
                "email": f"bulk{number}@example.com",
                "password": PASSWORD,
            },
        )
        assert response.status_code == 302
        client.logout()
    response = client.post(
        reverse("accounts:signup"),
        {"username": "onetoomany", "email": "one@example.com", "password": PASSWORD},
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in page(response)
    assert not User.objects.filter(username="onetoomany").exists()
    assert User.objects.count() == limit


def test_signup_page_redirects_logged_in_accounts(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# --- Log-in and log-out -----------------------------------------------------------------


@pytest.mark.parametrize("login", ["ana", "ANA", "ana@example.com", "Ana@Example.com"])
def test_login_with_username_or_email(client: Client, user: User, login: str) -> None:
    response = client.post(reverse("accounts:login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_id(client) == str(user.pk)


def test_login_wrong_password(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:login"), {"login": "ana", "password": "wrong-one"})
    assert response.status_code == 400
    assert "The username or password is not right." in page(response)
    assert logged_in_id(client) is None


def test_login_unknown_account_says_the_same(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:login"), {"login": "ghost", "password": PASSWORD})
    assert response.status_code == 400
    assert "The username or password is not right." in page(response)


def test_login_is_rate_limited_after_ten_failures(
    client: Client, user: User, settings: Any
) -> None:
    limit, _ = settings.GLIMPSE_RATE_LOGIN_FAILURES
    assert limit == 10
    for _ in range(limit):
        response = client.post(reverse("accounts:login"), {"login": "ana", "password": "nope"})
        assert response.status_code == 400
    # Even the right password is refused until the window ends.
    response = client.post(reverse("accounts:login"), {"login": "ana", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many attempts" in page(response)
    assert logged_in_id(client) is None


def test_login_follows_a_safe_next_only(client: Client, user: User) -> None:
    target = reverse("accounts:settings")
    response = client.post(
        reverse("accounts:login"), {"login": "ana", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"login": "ana", "password": PASSWORD, "next": "https://evil.example/steal"},
    )
    assert response["Location"] == reverse("home")


def test_logout_asks_first_and_ends_the_session_on_a_post_only(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 200
    assert "Log out of Glimpse?" in page(response)
    assert logged_in_id(client) == str(user.pk)
    assert client.put(reverse("accounts:logout")).status_code == 405
    assert logged_in_id(client) == str(user.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert logged_in_id(client) is None


def test_a_session_ended_by_logout_no_longer_opens_the_account(client: Client, user: User) -> None:
    """Sessions are read from the cache: logging out must end them there too."""
    client.post(reverse("accounts:login"), {"login": "ana", "password": PASSWORD})
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get(reverse("accounts:settings")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert replay.get(reverse("accounts:settings")).status_code == 302


# --- Login required ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "accounts:profile_edit", []),
        ("post", "accounts:profile_edit", []),
        ("get", "accounts:settings", []),
        ("post", "accounts:avatar_upload", []),
        ("post", "accounts:avatar_remove", []),
        ("post", "accounts:password_change", []),
        ("post", "accounts:token_create", []),
        ("post", "accounts:token_revoke", [1]),
        ("post", "accounts:account_delete", []),
    ],
)
def test_private_pages_send_visitors_to_login(
    client: Client, user: User, method: str, name: str, args: list[int]
) -> None:
    url = reverse(name, args=args)
    data = {"bio": "x", "password": PASSWORD} if method == "post" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
    user.refresh_from_db()
    assert user.bio == ""
    assert User.objects.filter(pk=user.pk).exists()


# --- Edit profile -----------------------------------------------------------------------


def test_edit_profile_page_shows_current_values(client: Client, user: User) -> None:
    user.bio = "Hello there"
    user.save()
    client.force_login(user)
    response = client.get(reverse("accounts:profile_edit"))
    body = page(response)
    assert response.status_code == 200
    assert 'value="Ana Lima"' in body
    assert "Hello there</textarea>" in body
    assert "11 / 150" in body
    assert 'maxlength="150"' in body


def test_edit_profile_saves_every_field(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "Ana L.",
            "bio": "Street photography in Lisbon",
            "website": "ana.example",
            "is_private": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("profile", args=["ana"])
    user.refresh_from_db()
    assert user.display_name == "Ana L."
    assert user.bio == "Street photography in Lisbon"
    assert user.website == "https://ana.example"
    assert user.is_private is True
    body = page(client.get(response["Location"]))
    assert "Your profile is saved." in body
    assert "Street photography in Lisbon" in body


def test_edit_profile_refuses_an_overlong_bio_and_changes_nothing(
    client: Client, user: User
) -> None:
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Changed Name", "bio": "x" * 151, "website": "", "is_private": "on"},
    )
    assert response.status_code == 422
    assert "A bio has at most 150 characters." in page(response)
    user.refresh_from_db()
    assert user.bio == ""
    assert user.display_name == "Ana Lima"
    assert user.is_private is False


def test_edit_profile_refuses_a_bad_website(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Ana Lima", "bio": "", "website": "javascript:alert(1)"},
    )
    assert response.status_code == 422
    assert "Enter a web address" in page(response)
    user.refresh_from_db()
    assert user.website == ""


# --- Avatar -----------------------------------------------------------------------------


def test_avatar_upload_strips_gps_and_shows_on_profile(
    client: Client, user: User, settings: Any
) -> None:
    client.force_login(user)
    upload = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(reverse("accounts:avatar_upload"), {"avatar": upload})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile_edit")
    user.refresh_from_db()
    assert user.avatar_version
    files = avatar_files(user)
    assert len(files) == len(settings.GLIMPSE_AVATAR_SIZES)
    for file in files:
        raw = file.read_bytes()
        assert raw[:4] == b"RIFF"
        assert raw[8:12] == b"WEBP"
        assert b"EXIF" not in raw
        assert b"SpyCam" not in raw
        with Image.open(file) as image:
            assert image.format == "WEBP"
            assert "exif" not in image.info
            assert len(image.getexif()) == 0
            assert image.width == image.height
    body = page(client.get(reverse("profile", args=["ana"])))
    assert f"avatars/{user.pk}/{user.avatar_version}-320.webp" in body
    assert "avatar--initial" not in body


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("me.jpg", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"),
        ("me.jpg", b"<!doctype html><html><body><script>alert(1)</script></body></html>"),
    ],
)
def test_avatar_upload_of_a_non_image_is_refused(
    client: Client, user: User, filename: str, content: bytes
) -> None:
    client.force_login(user)
    upload = SimpleUploadedFile(filename, content, content_type="image/jpeg")
    response = client.post(reverse("accounts:avatar_upload"), {"avatar": upload})
    assert response.status_code == 415
    assert "Use a JPEG, PNG, WebP, HEIC, AVIF or GIF picture." in page(response)
    user.refresh_from_db()
    assert user.avatar_version == ""
    assert avatar_files(user) == []


def test_a_refused_upload_keeps_the_current_avatar(client: Client, user: User) -> None:
    client.force_login(user)
    good = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client.post(reverse("accounts:avatar_upload"), {"avatar": good})
    user.refresh_from_db()
    version, files = user.avatar_version, avatar_files(user)
    assert version
    bad = SimpleUploadedFile("me.jpg", b"%PDF-1.4\n%%EOF\n", content_type="image/jpeg")
    response = client.post(reverse("accounts:avatar_upload"), {"avatar": bad})
    assert response.status_code == 415
    user.refresh_from_db()
    assert user.avatar_version == version
    assert avatar_files(user) == files


def test_avatar_upload_over_the_size_limit_is_refused(
    client: Client, user: User, settings: Any
) -> None:
    settings.GLIMPSE_AVATAR_MAX_BYTES = 1024 * 1024
    client.force_login(user)
    content = jpeg_with_gps() + b"\0" * (1024 * 1024)
    upload = SimpleUploadedFile("big.jpg", content, content_type="image/jpeg")
    response = client.post(reverse("accounts:avatar_upload"), {"avatar": upload})
    assert response.status_code == 413
    assert "Profile pictures can be at most 1 MB." in page(response)
    user.refresh_from_db()
    assert user.avatar_version == ""
    assert avatar_files(user) == []


def test_avatar_upload_without_a_file(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(reverse("accounts:avatar_upload"), {})
    assert response.status_code == 422
    assert "This field is required." in page(response)
    user.refresh_from_db()
    assert user.avatar_version == ""


def test_avatar_replace_and_remove_delete_old_files(
    client: Client, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:avatar_upload"),
            {"avatar": SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")},
        )
    user.refresh_from_db()
    first = user.avatar_version
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:avatar_upload"),
            {"avatar": SimpleUploadedFile("b.jpg", jpeg_with_gps((300, 500)), "image/jpeg")},
        )
    user.refresh_from_db()
    assert user.avatar_version not in ("", first)
    assert all(file.name.startswith(user.avatar_version) for file in avatar_files(user))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:avatar_remove"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar_version == ""
    assert avatar_files(user) == []


# --- Settings: password -----------------------------------------------------------------


def test_settings_page_renders(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.get(reverse("accounts:settings"))
    body = page(response)
    assert response.status_code == 200
    assert "Change password" in body
    assert "API tokens" in body
    assert "Delete account" in body


def test_password_change_keeps_the_session_and_revokes_tokens(client: Client, user: User) -> None:
    token, _ = token_create(user=user, name="script")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Still logged in on this browser.
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    assert "Your password is changed." in page(response)
    assert logged_in_id(client) == str(user.pk)


@pytest.mark.parametrize(
    ("current", "new", "again", "status", "message"),
    [
        ("wrong-current-pass", NEW_PASSWORD, NEW_PASSWORD, 422, "This is not your current"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", 422, "The two passwords are not the same"),
        (PASSWORD, "short", "short", 422, "This password is too short"),
    ],
)
def test_password_change_errors_change_nothing(
    client: Client,
    user: User,
    current: str,
    new: str,
    again: str,
    status: int,
    message: str,
) -> None:
    token, _ = token_create(user=user, name="script")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"current_password": current, "new_password": new, "new_password_again": again},
    )
    assert response.status_code == status
    assert message in page(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Settings: API tokens ---------------------------------------------------------------


def test_token_create_shows_the_secret_once_and_it_works(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(reverse("accounts:token_create"), {"name": "My script"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = page(response)
    secret = re.search(r'id="new-token-secret" type="text" value="(glp_[^"]+)"', body)
    assert secret is not None
    assert "will not be shown again" in body
    token = ApiToken.objects.get(user=user)
    assert token.name == "My script"
    assert secret.group(1).startswith(token.prefix)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret.group(1)}")
    assert api.get("/api/glimpse/v1/accounts/me").json()["username"] == "ana"
    # Listed afterwards, but the secret is not shown again.
    body = page(client.get(reverse("accounts:settings")))
    assert "My script" in body
    assert token.prefix in body
    assert secret.group(1) not in body


def test_token_create_with_an_overlong_name(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(reverse("accounts:token_create"), {"name": "n" * 65})
    assert response.status_code == 422
    assert "Token names have at most 64 characters." in page(response)
    assert not ApiToken.objects.filter(user=user).exists()


def test_token_revoke(client: Client, user: User) -> None:
    token, secret = token_create(user=user, name="Old laptop")
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/glimpse/v1/accounts/me").status_code == 401
    body = page(client.get(reverse("accounts:settings")))
    assert "The token is revoked." in body
    assert "Old laptop" not in body
    assert "No active tokens." in body


def test_a_stranger_cannot_revoke_someone_elses_token(
    client: Client, user: User, make_user: Callable[..., User]
) -> None:
    token, secret = token_create(user=user, name="ana's")
    stranger = make_user("eve")
    client.force_login(stranger)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/glimpse/v1/accounts/me").json()["username"] == "ana"


def test_token_revoke_requires_post(client: Client, user: User) -> None:
    token, _ = token_create(user=user, name="t")
    client.force_login(user)
    response = client.get(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Settings: delete account -----------------------------------------------------------


def test_delete_account_with_wrong_password_keeps_it(client: Client, user: User) -> None:
    client.force_login(user)
    response = client.post(reverse("accounts:account_delete"), {"password": "not-it"})
    assert response.status_code == 422
    assert "This is not your password." in page(response)
    assert User.objects.filter(pk=user.pk).exists()
    assert logged_in_id(client) == str(user.pk)


def test_delete_account(client: Client, user: User) -> None:
    token, _ = token_create(user=user, name="t")
    client.force_login(user)
    response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user.refresh_from_db()
    assert user.deletion_requested_at is not None
    assert user.is_active is False
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert logged_in_id(client) is None
    body = page(client.get(reverse("home")))
    assert "@ana is deactivated and will be deleted on" in body
    assert "Log in before then to keep your account." in body
    assert client.get(reverse("profile", args=["ana"])).status_code == 404


# --- Password reset ---------------------------------------------------------------------


def reset_link_path(mail: Any) -> str:
    """Return the path of the reset link in an email."""
    found = re.search(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)", mail.body)
    assert found is not None, mail.body
    return found.group(1)


def test_password_reset_flow(client: Client, user: User, mailoutbox: list[Any]) -> None:
    token, _ = token_create(user=user, name="t")
    response = client.post(reverse("accounts:password_reset"), {"email": "ANA@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert "If an account uses this email" in page(client.get(response["Location"]))
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana@example.com"]
    link = reset_link_path(mailoutbox[0])

    # The token leaves the address bar for the session.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    response = client.get(form_url)
    assert response.status_code == 200
    assert "Choose a new password" in page(response)

    response = client.post(form_url, {"new_password": "abc", "new_password_again": "abc"})
    assert response.status_code == 422
    assert "This password is too short" in page(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    response = client.post(
        form_url, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    token.refresh_from_db()
    assert token.revoked_at is not None

    # The link works once: opened again, it says so at once, and a new password is refused.
    fresh = Client()
    response = fresh.get(fresh.get(link)["Location"])
    assert response.status_code == 400
    assert "This link doesn't work" in page(response)
    response = fresh.post(
        fresh.get(link)["Location"],
        {"new_password": "yet-another-passphrase", "new_password_again": "yet-another-passphrase"},
    )
    assert response.status_code == 400
    assert "This link doesn't work" in page(response)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    response = client.post(reverse("accounts:login"), {"login": "ana", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert logged_in_id(client) == str(user.pk)


def test_password_reset_for_unknown_email_says_the_same(
    client: Client, user: User, mailoutbox: list[Any]
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "who@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_password_reset_is_rate_limited(
    client: Client, user: User, settings: Any, mailoutbox: list[Any]
) -> None:
    limit, _ = settings.GLIMPSE_RATE_PASSWORD_RESET
    for _ in range(limit):
        client.post(reverse("accounts:password_reset"), {"email": "ana@example.com"})
    response = client.post(reverse("accounts:password_reset"), {"email": "ana@example.com"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert len(mailoutbox) == limit


def test_password_reset_with_a_forged_link(client: Client, user: User) -> None:
    form_url = client.get("/accounts/reset/MTIz/forged-token/")["Location"]
    response = client.post(
        form_url, {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert "This link doesn't work" in page(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_page_says_at_once_that_a_forged_link_does_not_work(
    client: Client, user: User
) -> None:
    response = client.get("/accounts/reset/MTIz/forged-token/", follow=True)
    assert response.status_code == 400
    assert "This link doesn't work" in page(response)


def test_password_reset_form_without_a_link_in_the_session(client: Client, db: None) -> None:
    response = client.get("/accounts/reset/MTIz/set-password/")
    assert response.status_code == 400
    assert "This link doesn't work" in page(response)
