"""Reads of people's own data: the viewer's exports and their download links."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from glimpse.accounts.models import User
from glimpse.core.errors import GlimpseError, NotFound
from glimpse.privacy.models import DataExport

_SALT = "glimpse.privacy.export-download"


class Gone(GlimpseError):
    """The archive existed but its link has expired."""

    status = 410
    code = "expired"
    default_message = "This download link has expired. Ask for a new archive."


def data_export_latest(*, viewer: User) -> DataExport | None:
    """Return the viewer's most recent data export, or None."""
    return DataExport.objects.filter(user=viewer).order_by("-id").first()


def data_export_get_latest(*, viewer: User) -> DataExport:
    """Return the viewer's most recent data export, or raise NotFound."""
    export = data_export_latest(viewer=viewer)
    if export is None:
        raise NotFound("You have not asked for an archive of your data yet.")
    return export


def data_export_panel(*, viewer: User) -> dict[str, object]:
    """Return what the "Download your data" panel of the settings shows for the viewer."""
    export = data_export_latest(viewer=viewer)
    return {
        "export": export,
        "export_pending": export is not None and export.status in DataExport.PENDING,
        "export_url": data_export_download_url(export) if export else None,
        "export_days": settings.GLIMPSE_EXPORT_DAYS,
    }


def data_export_download_url(export: DataExport) -> str | None:
    """Return the signed download link of a ready export, None when there is nothing to get."""
    if not is_downloadable(export):
        return None
    token = signing.dumps([str(export.pk), str(export.user_id)], salt=_SALT, compress=True)
    return reverse("privacy:export_download", args=[token])


def data_export_for_download(*, viewer: User, token: str) -> DataExport:
    """Return the export a download link names if it is the viewer's and still ready.

    Another account's link, a forged one or one of a deleted export is a 404; an expired
    one is a 410.
    """
    try:
        export_id, owner_id = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise NotFound() from None
    if str(viewer.pk) != owner_id:
        raise NotFound()
    export = DataExport.objects.filter(pk=int(export_id), user=viewer).first()
    if export is None or export.status not in (DataExport.Status.READY, DataExport.Status.EXPIRED):
        raise NotFound()
    if not is_downloadable(export):
        raise Gone()
    return export


def is_downloadable(export: DataExport) -> bool:
    """Tell whether an export's archive can be downloaded now."""
    return (
        export.status == DataExport.Status.READY
        and export.expires_at is not None
        and export.expires_at > timezone.now()
    )
