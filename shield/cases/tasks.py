"""Background tasks (django-tasks) of cases: the daily sweep of overdue care-plan actions."""

from django_tasks import task


@task()
def actions_overdue_sweep() -> int:
    """`manage.py notify_overdue` as a task, for a worker-driven schedule; returns how many
    notifications it created."""
    from shield.cases.services.notices import actions_overdue_notify

    return actions_overdue_notify()
