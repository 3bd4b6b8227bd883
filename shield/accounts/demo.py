"""Demo agencies in seven provinces and one account per role, all with one printed password."""

from dataclasses import dataclass
from typing import Any, TextIO

from django.utils import translation

from shield.accounts import services
from shield.accounts.models import Agency, Membership, User
from shield.accounts.roles import AgencyKind, Role, Scope
from shield.geo.models import BorderGate, Province


@dataclass(frozen=True)
class DemoAgency:
    code: str
    kind: str
    name_vi: str
    name_en: str
    province: str  # package codename of today's province
    border_gate: str = ""
    parent: str = ""


AGENCIES = [
    DemoAgency(
        "nco",
        AgencyKind.MINISTRY,
        "Văn phòng điều phối quốc gia Shield",
        "Shield National Coordination Office",
        "ha_noi",
    ),
    DemoAgency(
        "bg-lao-cai",
        AgencyKind.BORDER_GUARD,
        "Đồn Biên phòng cửa khẩu quốc tế Lào Cai",
        "Lào Cai International Border Gate Border Guard Post",
        "lao_cai",
        "lao-cai",
    ),
    DemoAgency(
        "bg-mong-cai",
        AgencyKind.BORDER_GUARD,
        "Đồn Biên phòng cửa khẩu quốc tế Móng Cái",
        "Móng Cái International Border Gate Border Guard Post",
        "quang_ninh",
        "mong-cai",
    ),
    DemoAgency(
        "bg-moc-bai",
        AgencyKind.BORDER_GUARD,
        "Đồn Biên phòng cửa khẩu quốc tế Mộc Bài",
        "Mộc Bài International Border Gate Border Guard Post",
        "tay_ninh",
        "moc-bai",
    ),
    DemoAgency(
        "bg-cau-treo",
        AgencyKind.BORDER_GUARD,
        "Đồn Biên phòng cửa khẩu quốc tế Cầu Treo",
        "Cầu Treo International Border Gate Border Guard Post",
        "ha_tinh",
        "cau-treo",
    ),
    DemoAgency(
        "bg-lao-bao",
        AgencyKind.BORDER_GUARD,
        "Đồn Biên phòng cửa khẩu quốc tế Lao Bảo",
        "Lao Bảo International Border Gate Border Guard Post",
        "quang_tri",
        "lao-bao",
    ),
    DemoAgency(
        "police-ha-noi",
        AgencyKind.POLICE_PROVINCIAL,
        "Công an thành phố Hà Nội",
        "Hà Nội City Police",
        "ha_noi",
    ),
    DemoAgency(
        "police-an-giang",
        AgencyKind.POLICE_PROVINCIAL,
        "Công an tỉnh An Giang",
        "An Giang Provincial Police",
        "an_giang",
    ),
    DemoAgency(
        "spc-ha-noi",
        AgencyKind.SOCIAL_PROTECTION,
        "Trung tâm Bảo trợ xã hội Hà Nội",
        "Hà Nội Social Protection Centre",
        "ha_noi",
    ),
    DemoAgency(
        "spc-an-giang",
        AgencyKind.SOCIAL_PROTECTION,
        "Trung tâm Công tác xã hội tỉnh An Giang",
        "An Giang Social Work Centre",
        "an_giang",
    ),
    DemoAgency(
        "wu-peaceful-house",
        AgencyKind.WOMENS_UNION,
        "Hội LHPN Việt Nam — Ngôi nhà Bình yên",
        "Vietnam Women's Union — Peaceful House",
        "ha_noi",
    ),
    DemoAgency(
        "ngo-hope-shelter",
        AgencyKind.NGO,
        "Mái ấm Hy Vọng (tổ chức phi chính phủ)",
        "Hope Shelter (NGO)",
        "ho_chi_minh",
    ),
    DemoAgency(
        "court-ha-noi",
        AgencyKind.COURT,
        "Tòa án nhân dân thành phố Hà Nội",
        "Hà Nội People's Court",
        "ha_noi",
    ),
    DemoAgency(
        "procuracy-ha-noi",
        AgencyKind.PROCURACY,
        "Viện kiểm sát nhân dân thành phố Hà Nội",
        "Hà Nội People's Procuracy",
        "ha_noi",
    ),
]

# (username, first name, last name, agency code, role, scope)
ACCOUNTS = [
    ("admin", "Anh", "Vũ Đức", "nco", Role.SYSTEM_ADMIN, Scope.NATIONAL),
    ("bg.laocai", "Minh", "Hoàng Văn", "bg-lao-cai", Role.FRONTLINE_OFFICER, Scope.AGENCY),
    ("cw.hanoi", "Hoa", "Nguyễn Thị", "spc-ha-noi", Role.CASE_WORKER, Scope.AGENCY),
    ("sup.hanoi", "Lan", "Trần Thị", "spc-ha-noi", Role.SUPERVISOR, Scope.PROVINCE),
    ("cw.angiang", "Thảo", "Lê Thị", "spc-an-giang", Role.CASE_WORKER, Scope.AGENCY),
    ("police.hanoi", "Dũng", "Phạm Văn", "police-ha-noi", Role.JUSTICE_OFFICER, Scope.PROVINCE),
    ("stats", "Hằng", "Bùi Thị", "nco", Role.STATISTICIAN, Scope.NATIONAL),
    ("auditor", "Khoa", "Đặng Văn", "nco", Role.AUDITOR, Scope.NATIONAL),
    ("admin.hanoi", "Mai", "Ngô Thị", "spc-ha-noi", Role.AGENCY_ADMIN, Scope.AGENCY),
]


def _agency(spec: DemoAgency) -> Agency:
    existing = Agency.objects.filter(code=spec.code).first()
    if existing:
        return existing
    province = Province.objects.get(codename=spec.province)
    gate = BorderGate.objects.get(code=spec.border_gate) if spec.border_gate else None
    return services.agency_create(
        actor=None,
        kind=spec.kind,
        code=spec.code,
        name_vi=spec.name_vi,
        name_en=spec.name_en,
        province_id=province.pk,
        border_gate_id=gate.pk if gate else None,
    )


def _account(
    username: str, first: str, last: str, agency: Agency, role: str, scope: str, password: str
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=None, username=username, password=password, first_name=first, last_name=last
        )
    if not Membership.objects.filter(user=user, agency=agency, role=role, is_active=True).exists():
        services.membership_grant(actor=None, user=user, agency=agency, role=role, scope=scope)
    return user


def load(*, options: dict[str, Any], out: TextIO) -> None:
    with translation.override("en"):
        agencies = {spec.code: _agency(spec) for spec in AGENCIES}
        for username, first, last, code, role, scope in ACCOUNTS:
            _account(username, first, last, agencies[code], role, scope, options["password"])
        provinces = sorted({a.province.name for a in agencies.values()})
        out.write(f"Agencies: {len(agencies)} in {len(provinces)} provinces ({', '.join(provinces)})\n")


def summary(*, options: dict[str, Any], out: TextIO) -> None:
    with translation.override("en"):
        agencies = {a.code: a for a in Agency.objects.filter(code__in=[spec.code for spec in AGENCIES])}
        out.write(f"\nDemo accounts (password for all: {options['password']})\n")
        out.write(f"  {'username':<14} {'role':<26} agency\n")
        for username, _first, _last, code, role, _scope in ACCOUNTS:
            out.write(f"  {username:<14} {Role(role).label!s:<26} {agencies[code].name_en}\n")
        out.write("\nSign in at http://127.0.0.1:8000/accounts/login/\n")
