"""Writers in parallel transactions still build one unbroken chain (advisory lock / BEGIN IMMEDIATE)."""

import threading

import pytest
from django.db import connection, transaction

from shield.audit.models import AuditEvent
from shield.audit.services import record
from shield.audit.verification import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 4
EVENTS_EACH = 25


def _write(errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        for i in range(EVENTS_EACH):
            with transaction.atomic():
                record(action="view", object_type="tests.thing", object_id=str(i))
    except BaseException as exc:  # a failure in a thread must fail the test
        errors.append(exc)
    finally:
        connection.close()


def test_parallel_writers_never_fork_the_chain():
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)
    threads = [threading.Thread(target=_write, args=(errors, start)) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert AuditEvent.objects.count() == WRITERS * EVENTS_EACH
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS * EVENTS_EACH + 1))
    assert verify_chain().intact
