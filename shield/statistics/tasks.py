"""Background tasks (django-tasks): refreshing the facts counting reads, building the PDF
national report, and assembling a release (counting and protecting its tables)."""

from django_tasks import task


@task()
def facts_refresh_task(full: bool = False) -> dict[str, int]:
    """Bring the case facts up to date (all of them with `full`); returns how many were written."""
    from shield.statistics.facts import facts_refresh

    return {"written": facts_refresh(full=full)}


@task()
def national_report_build(report_id: str) -> str:
    """Build a queued PDF national report in the worker (`manage.py db_worker`); returns its status."""
    from shield.statistics.national_report import national_report_build as build

    return str(build(report_id=report_id).status)


@task()
def release_assemble(release_id: str, token: str) -> str:
    """Assemble a queued release in the worker (`manage.py db_worker`); returns its build state."""
    from shield.statistics.services.releases import release_assemble as assemble

    return assemble(release_id=release_id, token=token)
