"""Imports' reactions to the events of other apps (subscribed in ``ImportsConfig``)."""

from __future__ import annotations

from glimpse.core.events import AccountErased
from glimpse.imports.services import archive_import_files_forget


def account_erased(event: AccountErased) -> None:
    """Delete the archives and offered pictures an erased account left in storage."""
    archive_import_files_forget(user_id=event.account_id)
