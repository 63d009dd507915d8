"""Direct messages in the OpenAPI document: every operation declares its errors, and what the
API answers matches the shapes it documents."""

from __future__ import annotations

from typing import Any

import pytest

from glimpse.accounts.models import User
from glimpse.api import api
from glimpse.messages.schemas import (
    ConversationDetailOut,
    ConversationListOut,
    MessageListOut,
    UnreadOut,
)
from tests.messages.conftest import api_as, friends, send, start


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        if path.startswith(("/api/glimpse/v1/conversations", "/api/glimpse/v1/messages"))
        for method, operation in methods.items()
    ]


def test_every_messages_operation_is_documented() -> None:
    assert len(_operations()) == 22  # with moderation's messages/{id}/report


@pytest.mark.parametrize(("path", "method", "operation"), _operations())
def test_errors_are_declared(path: str, method: str, operation: dict[str, Any]) -> None:
    codes = {str(code) for code in operation["responses"]}
    assert "401" in codes
    if operation.get("parameters") or "requestBody" in operation:
        assert "422" in codes
    if "{" in path:
        assert "404" in codes
    if method in ("post", "patch", "put", "delete") and "{" in path and not path.endswith("/read"):
        assert {"403", "404"} <= codes
    if path == "/api/glimpse/v1/conversations" and method == "post":
        assert "429" in codes
    assert operation.get("summary")


@pytest.mark.django_db
def test_answers_match_their_documented_shapes(ana: User, bob: User, cleo: User, publish) -> None:
    friends(ana, bob, cleo)
    group = start(ana, bob, cleo, name="Plans")
    first = send(ana, group, "hello")
    send(bob, group, "look", shared_post_id=publish(cleo).pk, reply_to_id=first.pk)
    send(cleo, group, "", shared_username="ana")
    client = api_as(ana)
    ConversationListOut.model_validate(client.get("conversations").json())
    ConversationListOut.model_validate(client.get("conversations/requests").json())
    ConversationDetailOut.model_validate(client.get(f"conversations/{group.pk}").json())
    MessageListOut.model_validate(client.get(f"conversations/{group.pk}/messages").json())
    UnreadOut.model_validate(client.get("conversations/unread").json())
