"""The address throttle counts failures arriving at several server workers at once."""

import threading

import pytest
from django.db import connection

from shield.accounts.models import SignInAddress
from shield.accounts.sign_in import address_failure_record
from shield.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4


def _fail(times: int, errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        for _ in range(times):
            address_failure_record(address="203.0.113.50")
    except BaseException as exc:  # a failure in a thread must fail the test
        errors.append(exc)
    finally:
        connection.close()


def test_parallel_failures_are_all_counted_and_block_once(settings):
    settings.SHIELD_ADDRESS_BLOCK_FAILURES = 4 * WORKERS
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)
    threads = [threading.Thread(target=_fail, args=(4, errors, start)) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    state = SignInAddress.objects.get(ip_address="203.0.113.50")
    assert state.blocked_until is not None
    assert AuditEvent.objects.filter(action=AuditAction.ADDRESS_BLOCKED).count() == 1
