"""The JSON shapes of the social graph in the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from glimpse.accounts.schemas import ViewerRelation


class FollowStateOut(Schema):
    state: Literal["following", "requested"] = Field(
        description='"following", or "requested" when the account is private and must approve.'
    )


class AccountItemOut(Schema):
    """An account in a list, with the viewer's relation to it."""

    id: str
    username: str
    display_name: str
    is_private: bool
    avatar: dict[str, str] | None = Field(description="Avatar URLs by pixel size, or null.")
    viewer: ViewerRelation


class AccountListOut(Schema):
    items: list[AccountItemOut]
    next_max_id: str | None = Field(
        description="Pass as max_id for the next page (the id of the list's edge, not of the "
        "account); null on the last page."
    )


class FollowRequestOut(Schema):
    """A pending request to follow the viewer."""

    id: str = Field(description="The request's id, for approve and deny.")
    created_at: datetime
    account: AccountItemOut = Field(description="Who asks to follow.")


class FollowRequestListOut(Schema):
    items: list[FollowRequestOut]
    next_max_id: str | None


class ApprovedOut(Schema):
    approved: int = Field(description="How many requests were approved.")
