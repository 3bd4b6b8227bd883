"""Background tasks (django-tasks) of the directory: building an HSDS export of the whole directory."""

from django_tasks import task


@task()
def hsds_export_build(export_id: str) -> str:
    """Build a queued HSDS export in the worker (`manage.py db_worker`); returns its status."""
    from shield.referrals.directory.hsds_exports import hsds_export_build as build

    return str(build(export_id=export_id).status)
