"""Background tasks (django-tasks) of the lifecycle part: the sweep of overdue referrals."""

from django_tasks import task


@task()
def referrals_overdue_sweep() -> int:
    """`manage.py notify_referrals_overdue` as a task, for a worker-driven schedule; returns how
    many notifications it created."""
    from shield.referrals.lifecycle.notices import referrals_overdue_notify

    return referrals_overdue_notify()
