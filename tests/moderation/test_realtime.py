"""A suspended or banned account's token and live socket stop working within a second."""

from __future__ import annotations

import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from glimpse.accounts.services import token_create
from glimpse.moderation import services
from glimpse.moderation.models import Case
from tests.conftest import ApiClient
from tests.moderation.conftest import report
from tests.realtime.conftest import closed_with, open_ready, socket


@pytest.mark.parametrize("action", ["suspend", "ban"])
@pytest.mark.django_db(transaction=True)
def test_the_token_and_socket_stop_within_a_second(make_user, moderator, action) -> None:
    author = make_user("author")
    report(make_user("reporter"), "account", author.pk, reason="scam")
    case = Case.objects.get(target_type="account")
    _, secret = token_create(user=author, name="phone")
    client = ApiClient(secret)
    assert client.get("accounts/me").status_code == 200

    async def scenario() -> tuple[int | None, float]:
        communicator = socket(f"token={secret}")
        await open_ready(communicator)
        started = time.monotonic()
        await sync_to_async(services.case_act)(
            moderator=moderator, case_id=case.pk, action=action, reason="Scams", days=2
        )
        code = await closed_with(communicator, timeout=1)
        return code, time.monotonic() - started

    code, elapsed = async_to_sync(scenario)()
    assert code is not None
    assert elapsed < 1
    assert client.get("accounts/me").status_code == 401
