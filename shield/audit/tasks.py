"""Background tasks (django-tasks): a whole-chain verification, queued from the audit pages."""

from django_tasks import task

from shield.audit.models import ChainVerification


@task()
def verify_audit_chain(verification_id: str) -> dict[str, object]:
    """Verify the chain in the worker (`manage.py db_worker`); returns the outcome."""
    from shield.audit.verifications import verification_execute

    verification = verification_execute(verification=ChainVerification.objects.get(pk=verification_id))
    return {"intact": verification.intact, "checked": verification.checked}
