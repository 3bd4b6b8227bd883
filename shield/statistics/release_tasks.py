"""Background tasks (django-tasks) of releases: counting and protecting a release's tables."""

from django_tasks import task


@task()
def release_assemble(release_id: str, token: str) -> str:
    """Assemble a queued release in the worker (`manage.py db_worker`); returns its build state."""
    from shield.statistics.release_services import release_assemble as assemble

    return assemble(release_id=release_id, token=token)
