"""Demo data of the reception part: one group handover of four people at Móng Cái, completed,
each given travel and meals home at the gate.

Recorded through the services by the Móng Cái Border Guard officer (`bg.mongcai`); loaded once
(the handover receipt number marks it).
"""

import datetime
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from shield.accounts.models import User
from shield.geo.models import Commune
from shield.returns.models import Disposition, ReceptionEvent
from shield.returns.reception import services, support

RECEIPT = "BB-DEMO-MC-0001"
GROUP = ("Lò Thị Hoa", "Giàng Thị Sua", "Vàng Thị Dính", "Sùng A Páo")


@transaction.atomic
def load(*, options: dict[str, Any], out: TextIO) -> None:
    if ReceptionEvent.objects.filter(receipt_number=RECEIPT).exists():
        return
    officer = User.objects.filter(username="bg.mongcai").first()
    if officer is None or officer.primary_agency is None or officer.primary_agency.border_gate is None:
        return
    received = timezone.now() - datetime.timedelta(days=2)
    event = services.reception_open(
        actor=officer,
        border_gate=officer.primary_agency.border_gate,
        country="CN",
        channel="bilateral",
        received_at=received,
        foreign_authority="Dongxing Border Management",
    )
    commune = Commune.objects.order_by("code").first()
    for number, name in enumerate(GROUP):
        member = services.member_add(
            actor=officer, event=event, full_name=name, sex="male" if name.startswith("Sùng A") else "female",
            birth_year=1998 + number,
        )  # fmt: skip
        member = services.member_screen(
            actor=officer, member=member, version=member.version, outcome="no_concern"
        )
        # Travel and meals home, given at the gate (the regime's cap per day, two days).
        support.member_support_give(
            actor=officer, member=member, support_type="travel_home",
            delivered_on=timezone.localdate(received), quantity=Decimal(2), unit="ngày", amount_vnd=120000,
        )  # fmt: skip
        if number == 0:
            services.member_dispose(
                actor=officer, member=member, version=member.version, disposition=Disposition.FAMILY,
                handed_to="Mẹ, Lò Thị Pằng",
            )  # fmt: skip
        else:
            services.member_dispose(
                actor=officer, member=member, version=member.version, disposition=Disposition.COMMUNE,
                commune=commune,
            )  # fmt: skip
    event.refresh_from_db()
    services.reception_complete(
        actor=officer, event=event, version=event.version, receipt_number=RECEIPT, receipt_signed_at=received
    )
    out.write(f"Returns: 1 group reception of {len(GROUP)} people at Móng Cái\n")
