"""``/api/v1/preferences``: the account's defaults for posting and reading."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from glimpse.mastodon.auth import TokenAuth, request_account
from glimpse.mastodon.presenters import preferences_json

router = Router(tags=["accounts"])


@router.get("/preferences", auth=TokenAuth("read:accounts"))
def preferences(request: HttpRequest) -> dict[str, Any]:
    """Return the signed-in account's preferences."""
    return preferences_json(request_account(request))
