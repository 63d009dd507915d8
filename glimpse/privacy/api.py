"""People's own data in the API: deleting the account, asking for and following an archive.

The endpoints stay under ``/accounts/me/`` with the accounts tag: clients see them as part
of their account, whichever app carries them out.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Router, Status

from glimpse.accounts.auth import api_auth, request_token, request_user
from glimpse.accounts.schemas import PasswordIn
from glimpse.core.api import errors
from glimpse.privacy import exports, selectors
from glimpse.privacy.deletion import account_deletion_request
from glimpse.privacy.schemas import DataExportJson, DataExportOut, DeletionOut, data_export_out

router = Router(tags=["accounts"])


class DeletionJson(TypedDict):
    deletion_at: datetime


@router.post("/me/delete", auth=api_auth, response={202: DeletionOut, **errors(401, 403, 422)})
def account_delete(request: HttpRequest, payload: PasswordIn) -> Status[DeletionJson]:
    """Schedule the viewer's account for deletion; the password confirms it.

    The account is deactivated and its tokens revoked at once; it is deleted with
    everything it made after the grace period, unless its owner logs in before then.
    """
    due = account_deletion_request(user=request_user(request), password=payload.password)
    if request_token(request) is None:
        logout(request)
    return Status(202, {"deletion_at": due})


@router.post("/me/export", auth=api_auth, response={202: DataExportOut, **errors(401, 403, 429)})
def data_export_request(request: HttpRequest) -> Status[DataExportJson]:
    """Ask for an archive of the viewer's data; an archive still in the making is answered."""
    return Status(202, data_export_out(exports.data_export_request(user=request_user(request))))


@router.get("/me/export", auth=api_auth, response={200: DataExportOut, **errors(401, 404)})
def data_export(request: HttpRequest) -> DataExportJson:
    """The viewer's latest data archive: status, progress and, once ready, its download link."""
    export = selectors.data_export_get_latest(viewer=request_user(request))
    return data_export_out(export)
