"""Background jobs of imports: thin wrappers that call the services."""

from __future__ import annotations

from celery import shared_task

from glimpse.imports import services


@shared_task(name="imports.run")
def archive_import_run_job(import_id: int) -> str:
    """Import the posts and stories of one uploaded archive."""
    return services.archive_import_run(import_id=import_id)


@shared_task(name="imports.sweep")
def archive_imports_sweep_job() -> int:
    """Give up on imports whose job was lost, deleting their archives."""
    return services.archive_imports_sweep()
