"""Push on the settings page: this device's switch, the list of devices and their removal."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.test import Client

from glimpse.accounts.models import User
from glimpse.push.keys import server_key
from glimpse.push.models import PushSubscription
from tests.push.conftest import FakeBrowser

pytestmark = pytest.mark.django_db

Browser = Callable[[str], FakeBrowser]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_settings_page_has_the_switch_and_the_devices(
    ana: User, bo: User, browser_for: Browser
) -> None:
    phone = browser_for("ana-phone")
    phone.subscribe(ana)
    browser_for("bo-phone").subscribe(bo)
    page = signed_in(ana).get("/accounts/settings/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="push-toggle"' in html
    assert f'data-key="{server_key().public_key}"' in html
    assert 'data-subscribe="/api/glimpse/v1/push/subscriptions"' in html
    assert "Chrome on Android" in html
    endpoints = re.search(r'id="push-endpoints"[^>]*>(.*?)</script>', html, re.S)
    assert endpoints is not None
    assert json.loads(endpoints.group(1)) == [phone.endpoint]  # never another account's
    assert "js/push.js" in html


def test_a_device_is_removed_from_the_settings(ana: User, browser_for: Browser) -> None:
    device = browser_for("ana-phone").subscribe(ana)
    kept = browser_for("ana-laptop").subscribe(ana)
    answer = signed_in(ana).post(f"/push/devices/{device.pk}/delete/")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/settings/#push"
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [kept.pk]


def test_nobody_removes_anothers_device_from_the_settings(
    ana: User, bo: User, browser_for: Browser
) -> None:
    device = browser_for("ana-phone").subscribe(ana)
    assert signed_in(bo).post(f"/push/devices/{device.pk}/delete/").status_code == 404
    assert signed_in(bo).post("/push/devices/delete/").status_code == 302
    assert PushSubscription.objects.filter(pk=device.pk).exists()


def test_every_device_is_turned_off_at_once(ana: User, bo: User, browser_for: Browser) -> None:
    browser_for("ana-phone").subscribe(ana)
    browser_for("ana-laptop").subscribe(ana)
    others = browser_for("bo-phone").subscribe(bo)
    client = signed_in(ana)
    assert "Turn off on all devices" in client.get("/accounts/settings/").content.decode()
    assert client.post("/push/devices/delete/").status_code == 302
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [others.pk]


def test_the_forms_ask_for_a_login_and_a_post(ana: User, browser_for: Browser) -> None:
    device = browser_for("ana-phone").subscribe(ana)
    answer = Client().post(f"/push/devices/{device.pk}/delete/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
    assert signed_in(ana).get("/push/devices/delete/").status_code == 405
    assert PushSubscription.objects.filter(pk=device.pk).exists()
