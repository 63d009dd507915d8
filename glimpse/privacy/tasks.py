"""Background jobs of people's own data: thin wrappers that call the services."""

from __future__ import annotations

from celery import shared_task

from glimpse.privacy import deletion, exports


@shared_task(name="privacy.export_build")
def data_export_build_job(export_id: int) -> str:
    """Build the archive of one requested data export."""
    return exports.data_export_build(export_id=export_id)


@shared_task(name="privacy.exports_expire")
def data_exports_expire_job() -> int:
    """Delete data archives past their expiry."""
    return exports.data_exports_expire()


@shared_task(name="privacy.accounts_purge")
def accounts_purge_job() -> int:
    """Erase the accounts whose deletion grace period is over, files included."""
    return deletion.accounts_purge_due()
