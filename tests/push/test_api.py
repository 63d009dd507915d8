"""The push endpoints of the API: the server's key, and the viewer's devices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.push.keys import server_key
from glimpse.push.models import PushSubscription, VapidKey
from tests.conftest import ApiClient
from tests.push.conftest import FakeBrowser, b64url

pytestmark = pytest.mark.django_db

Browser = Callable[[str], FakeBrowser]


def rows() -> list[tuple[Any, ...]]:
    """Return every subscription, to assert that nothing changed."""
    return list(
        PushSubscription.objects.order_by("pk").values_list("pk", "user_id", "endpoint", "p256dh")
    )


def test_the_key_is_the_servers_public_key(
    ana: User, client_for: Callable[[User], ApiClient]
) -> None:
    answer = client_for(ana).get("push/key")
    assert answer.status_code == 200
    assert answer.json() == {"public_key": server_key().public_key}
    assert VapidKey.objects.count() == 1


def test_anonymous_callers_get_nothing(anon: ApiClient, browser_for: Browser) -> None:
    assert anon.get("push/key").status_code == 401
    assert anon.get("push/subscriptions").status_code == 401
    answer = anon.post("push/subscriptions", browser_for("x").subscription_json())
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_authenticated"
    assert rows() == []


def test_subscribe_list_and_unsubscribe(
    ana: User, client_for: Callable[[User], ApiClient], browser_for: Browser
) -> None:
    api = client_for(ana)
    phone = browser_for("ana-phone")
    answer = api.post(
        "push/subscriptions",
        phone.subscription_json(),
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Safari/604.1",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["endpoint"] == phone.endpoint
    assert body["service"] == "127.0.0.1"
    assert body["device"] == "Safari on iPhone"
    assert body["last_success_at"] is None
    listed = api.get("push/subscriptions").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert listed["next_max_id"] is None
    assert api.delete(f"push/subscriptions/{body['id']}").status_code == 204
    assert rows() == []


def test_unsubscribe_by_endpoint_twice_is_no_error(
    ana: User, client_for: Callable[[User], ApiClient], browser_for: Browser
) -> None:
    api = client_for(ana)
    phone = browser_for("ana-phone")
    phone.subscribe(ana)
    for _ in range(2):
        answer = api.post("push/unsubscribe", {"endpoint": phone.endpoint})
        assert answer.status_code == 204
    assert rows() == []


def test_nobody_removes_anothers_device(
    ana: User, bo: User, client_for: Callable[[User], ApiClient], browser_for: Browser
) -> None:
    device = browser_for("ana-phone").subscribe(ana)
    before = rows()
    api = client_for(bo)
    answer = api.delete(f"push/subscriptions/{device.pk}")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"
    assert api.post("push/unsubscribe", {"endpoint": device.endpoint}).status_code == 204
    assert api.get("push/subscriptions").json()["items"] == []
    assert rows() == before


def test_the_same_browser_saved_again_renews_it_for_the_account_signed_in(
    ana: User, bo: User, client_for: Callable[[User], ApiClient], browser_for: Browser
) -> None:
    first = browser_for("shared-laptop")
    first.subscribe(ana)
    renewed = FakeBrowser(endpoint=first.endpoint)  # new keys, same endpoint
    answer = client_for(bo).post("push/subscriptions", renewed.subscription_json())
    assert answer.status_code == 201
    [row] = PushSubscription.objects.all()
    assert (row.user_id, row.p256dh) == (bo.pk, renewed.p256dh)


def test_an_account_keeps_its_newest_devices(
    ana: User,
    client_for: Callable[[User], ApiClient],
    browser_for: Browser,
    settings: Any,
) -> None:
    settings.GLIMPSE_PUSH_DEVICES_MAX = 2
    api = client_for(ana)
    for name in ("one", "two", "three"):
        answer = api.post("push/subscriptions", browser_for(name).subscription_json())
        assert answer.status_code == 201
    kept = PushSubscription.objects.filter(user=ana).values_list("endpoint", flat=True)
    assert sorted(url.rsplit("/", 1)[1] for url in kept) == ["three", "two"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "https://push.attacker.example/x"}, "endpoint"),
        ({"endpoint": "http://169.254.169.254/latest/meta-data"}, "endpoint"),
        ({"endpoint": "not a url"}, "endpoint"),
        ({"endpoint": "http://user:pass@127.0.0.1/push/x"}, "endpoint"),
        ({"p256dh": b64url(b"\x04" + b"\x01" * 64)}, "p256dh"),  # not a point of the curve
        ({"p256dh": b64url(b"\x04" * 10)}, "p256dh"),
        ({"p256dh": "not*base64"}, "p256dh"),
        ({"auth": b64url(b"short")}, "auth"),
    ],
)
def test_a_bad_subscription_is_refused_and_nothing_is_written(
    change: dict[str, str],
    field: str,
    ana: User,
    client_for: Callable[[User], ApiClient],
    browser_for: Browser,
) -> None:
    body = browser_for("ana-phone").subscription_json()
    if "endpoint" in change:
        body["endpoint"] = change["endpoint"]
    else:
        body["keys"].update(change)
    answer = client_for(ana).post("push/subscriptions", body)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert rows() == []


def test_a_subscription_without_keys_is_refused(
    ana: User, client_for: Callable[[User], ApiClient], browser_for: Browser
) -> None:
    answer = client_for(ana).post("push/subscriptions", {"endpoint": browser_for("x").endpoint})
    assert answer.status_code == 422
    assert rows() == []
