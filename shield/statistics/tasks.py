"""Background tasks (django-tasks): refreshing the facts counting reads."""

from django_tasks import task


@task()
def facts_refresh_task(full: bool = False) -> dict[str, int]:
    """Bring the case facts up to date (all of them with `full`); returns how many were written."""
    from shield.statistics.facts import facts_refresh

    return {"written": facts_refresh(full=full)}
