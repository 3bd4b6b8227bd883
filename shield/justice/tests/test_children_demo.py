"""The children part's demo data: sessions (one refused then justified) and two diversions, one
completed, on proceedings with child parties and assigned officers."""

import datetime
import io

import pytest
from django.utils import timezone

from shield.justice.children import demo
from shield.justice.models import Diversion, DiversionStatus, Interview
from shield.justice.tests import children_factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_records_sessions_and_diversions_once():
    d = f.desk()
    proceeding = f.open_proceeding(at=d, offence_codes=("BLHS-185",))
    f.assign(proceeding, d.officer)
    f.party(proceeding, role="witness")
    f.party(proceeding, role="victim")
    born = timezone.localdate().replace(year=timezone.localdate().year - 17) - datetime.timedelta(days=130)
    f.party(proceeding, role="accused", birth_date=born)
    f.party(proceeding, role="accused", birth_date=born, full_name="Hà Văn Sáng")
    out = io.StringIO()
    demo.load(options={}, out=out)
    assert "1 refused then justified" in out.getvalue()
    assert Interview.objects.exclude(justification="").count() == 1
    assert sorted(Diversion.objects.values_list("status", flat=True)) == [
        DiversionStatus.COMPLETED,
        DiversionStatus.IN_PROGRESS,
    ]
    demo.load(options={}, out=out)
    assert Interview.objects.count() == 6
