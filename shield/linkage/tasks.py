"""Background tasks (django-tasks): a linkage run, queued by `services.run_start`."""

from django_tasks import task

from shield.linkage.models import LinkageRun, RunStatus


@task()
def linkage_run(run_id: str) -> dict[str, int]:
    """Run a queued linkage run in the worker (`manage.py db_worker`); returns its counts."""
    from shield.linkage.services import run_execute

    run = LinkageRun.objects.get(pk=run_id)
    if run.status == RunStatus.CANCELLED:
        # Cancelled while no worker ran (services.run_cancel): nothing to do.
        return {"persons": 0, "individuals": 0, "review_pairs": 0}
    run = run_execute(run=run)
    return {
        "persons": run.person_count,
        "individuals": run.individual_count,
        "review_pairs": run.review_pair_count,
    }
