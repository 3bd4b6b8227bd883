"""Background tasks (django-tasks) of the international shapes: building an HTCDS export."""

from django_tasks import task


@task()
def htcds_export_build(export_id: str) -> dict[str, object]:
    """Build a queued HTCDS export in the worker (`manage.py db_worker`); returns its report."""
    from shield.statistics.shapes.exports import htcds_export_build as build

    return dict(build(export_id=export_id).report)
