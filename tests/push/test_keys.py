"""The VAPID key pair: made on first use and kept, or given by the environment."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from glimpse.push.keys import b64url_decode, key_from_private, private_text, server_key
from glimpse.push.models import VapidKey
from glimpse.push.sender import vapid_contact

pytestmark = pytest.mark.django_db


def test_the_key_is_made_on_first_use_and_kept() -> None:
    assert VapidKey.objects.count() == 0
    first = server_key()
    [row] = VapidKey.objects.all()
    assert row.public_key == first.public_key
    assert server_key().public_key == first.public_key  # read back, not made again
    point = b64url_decode(first.public_key)
    assert len(point) == 65
    assert point[0] == 4
    # The stored private half is the one that signs.
    assert key_from_private(row.private_key).public_key == first.public_key


def test_a_key_from_the_environment_is_used_and_nothing_is_stored(settings: Any) -> None:
    made = ec.generate_private_key(ec.SECP256R1())
    settings.GLIMPSE_VAPID_PRIVATE_KEY = private_text(made)
    assert server_key().public_key == key_from_private(private_text(made)).public_key
    assert VapidKey.objects.count() == 0


@pytest.mark.parametrize("bad", ["short", "not*base64", "A" * 60])
def test_a_bad_key_from_the_environment_is_refused(settings: Any, bad: str) -> None:
    settings.GLIMPSE_VAPID_PRIVATE_KEY = bad
    with pytest.raises(ValueError, match=r"base64url|32 bytes"):
        server_key()


def test_the_contact_push_services_see(settings: Any) -> None:
    settings.GLIMPSE_PUSH_CONTACT = ""
    settings.GLIMPSE_SITE_URL = "http://127.0.0.1:8000"
    settings.DEFAULT_FROM_EMAIL = "Glimpse <hello@glimpse.example>"
    assert vapid_contact() == "mailto:hello@glimpse.example"
    settings.GLIMPSE_SITE_URL = "https://glimpse.example/"
    assert vapid_contact() == "https://glimpse.example"
    settings.GLIMPSE_PUSH_CONTACT = "mailto:ops@glimpse.example"
    assert vapid_contact() == "mailto:ops@glimpse.example"
