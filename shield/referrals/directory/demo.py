"""Demo data of the directory part, loaded by shield/referrals/demo.py: about 40 services.

Providers for the demo's social-protection centres, the Women's Union Peaceful House and the NGO
shelter, plus external providers (hospitals, legal aid, vocational schools, a bank) without
users. Some shelters (beds, addresses hidden), mixed statuses and capacity counts, some stale.
"""

import datetime
import random
from typing import Any, TextIO

from django.utils import timezone

from shield.accounts.models import Agency
from shield.geo.models import Province
from shield.referrals.directory import services
from shield.referrals.models import Provider, Service, ServiceStatus

# (key, agency code or "", name, province codename, kind, phone)
PROVIDERS = [
    ("spc-hn", "spc-ha-noi", "", "ha_noi", "", "024 3825 0000"),
    ("spc-ag", "spc-an-giang", "", "an_giang", "", "0296 385 0000"),
    ("wu", "wu-peaceful-house", "", "ha_noi", "", "024 3972 0000"),
    ("hope", "ngo-hope-shelter", "", "ho_chi_minh", "", "028 3930 0000"),
    ("bv-hn", "", "Bệnh viện Đa khoa Xanh Pôn", "ha_noi", "health", "024 3823 3075"),
    ("bv-ag", "", "Bệnh viện Đa khoa tỉnh An Giang", "an_giang", "health", "0296 385 2989"),
    ("bv-lc", "", "Bệnh viện Đa khoa tỉnh Lào Cai", "lao_cai", "health", "0214 382 0000"),
    (
        "tgpl-hn",
        "",
        "Trung tâm Trợ giúp pháp lý Nhà nước thành phố Hà Nội",
        "ha_noi",
        "legal_aid",
        "024 3936 0000",
    ),
    (
        "tgpl-qn",
        "",
        "Trung tâm Trợ giúp pháp lý Nhà nước tỉnh Quảng Ninh",
        "quang_ninh",
        "legal_aid",
        "0203 382 0000",
    ),
    ("nghe-ht", "", "Trường Cao đẳng Kỹ thuật Việt - Đức Hà Tĩnh", "ha_tinh", "education", "0239 385 0000"),
    ("nghe-tn", "", "Trường Trung cấp nghề Tây Ninh", "tay_ninh", "education", "0276 382 0000"),
    ("vieclam-qt", "", "Trung tâm Dịch vụ việc làm tỉnh Quảng Trị", "quang_tri", "ngo", "0233 385 0000"),
    ("nhcsxh", "", "Ngân hàng Chính sách xã hội - Chi nhánh Hà Nội", "ha_noi", "ngo", "024 3641 0000"),
    ("tamly-hcm", "", "Trung tâm Tư vấn tâm lý Ánh Dương", "ho_chi_minh", "ngo", "028 3820 0000"),
]

# (provider key, name, type, extra fields)
SERVICES: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "spc-hn",
        "Nhà tạm lánh cho phụ nữ và trẻ em",
        "shelter",
        {"beds": 30, "sexes": ["female"], "child_friendly": True},
    ),
    ("spc-hn", "Tư vấn tâm lý cá nhân", "psychological_support", {"languages": ["vi", "en"]}),
    ("spc-hn", "Hỗ trợ tiền ăn và đi lại về nơi cư trú", "travel_home", {}),
    ("spc-hn", "Trợ cấp khó khăn ban đầu", "hardship_allowance", {}),
    ("spc-hn", "Truy tìm và đoàn tụ gia đình", "family_tracing", {"languages": ["vi", "zh"]}),
    (
        "spc-hn",
        "Hỗ trợ học văn hóa cho trẻ em",
        "education_vocational",
        {"min_age": 6, "max_age": 17, "child_friendly": True},
    ),
    ("spc-ag", "Nhà tạm lánh An Giang", "shelter", {"beds": 20, "languages": ["vi", "km"]}),
    (
        "spc-ag",
        "Tư vấn tâm lý cho trẻ em",
        "psychological_support",
        {"max_age": 17, "child_friendly": True, "languages": ["vi", "km"]},
    ),
    ("spc-ag", "Hỗ trợ đi lại về quê", "travel_home", {"languages": ["vi", "km"]}),
    ("spc-ag", "Trợ cấp khó khăn ban đầu", "hardship_allowance", {}),
    (
        "spc-ag",
        "Đoàn tụ gia đình qua biên giới Campuchia",
        "family_tracing",
        {"languages": ["vi", "km"], "areas": ["tay_ninh"]},
    ),
    (
        "wu",
        "Ngôi nhà Bình yên — nơi tạm trú",
        "shelter",
        {"beds": 25, "sexes": ["female"], "min_age": 12, "child_friendly": True},
    ),
    ("wu", "Tham vấn tâm lý cho phụ nữ", "psychological_support", {"sexes": ["female"], "min_age": 16}),
    (
        "wu",
        "Dạy nghề may và làm đẹp",
        "education_vocational",
        {"sexes": ["female"], "min_age": 15, "places": 12},
    ),
    ("wu", "Tư vấn việc làm sau tạm trú", "employment_counselling", {"sexes": ["female"], "min_age": 16}),
    (
        "hope",
        "Mái ấm Hy Vọng — chỗ ở cho trẻ em",
        "shelter",
        {"beds": 16, "max_age": 17, "child_friendly": True},
    ),
    (
        "hope",
        "Hỗ trợ học nghề cho thanh thiếu niên",
        "education_vocational",
        {"min_age": 14, "max_age": 24, "places": 20},
    ),
    ("bv-hn", "Khám sức khỏe và điều trị", "health_care", {"response_hours": 24}),
    ("bv-hn", "Cấp thẻ bảo hiểm y tế năm đầu", "health_insurance", {}),
    ("bv-hn", "Khám và điều trị sức khỏe tâm thần", "psychological_support", {"languages": ["vi", "en"]}),
    ("bv-ag", "Khám sức khỏe và điều trị", "health_care", {"languages": ["vi", "km"]}),
    ("bv-ag", "Hỗ trợ bảo hiểm y tế", "health_insurance", {}),
    ("bv-lc", "Khám sức khỏe tại cửa khẩu Lào Cai", "health_care", {"languages": ["vi", "zh", "hmn"]}),
    ("bv-lc", "Tư vấn tâm lý sau sang chấn", "psychological_support", {"languages": ["vi", "hmn"]}),
    ("tgpl-hn", "Trợ giúp pháp lý miễn phí", "legal_aid", {"response_hours": 72}),
    ("tgpl-hn", "Tư vấn pháp luật cho trẻ em", "legal_aid", {"max_age": 17, "child_friendly": True}),
    (
        "tgpl-qn",
        "Trợ giúp pháp lý cho nạn nhân",
        "legal_aid",
        {"languages": ["vi", "zh"], "areas": ["lao_cai"]},
    ),
    ("tgpl-qn", "Tư vấn pháp luật lưu động", "legal_aid", {"status": ServiceStatus.TEMPORARILY_CLOSED}),
    (
        "nghe-ht",
        "Đào tạo nghề ngắn hạn",
        "education_vocational",
        {"min_age": 15, "places": 40, "areas": ["quang_tri"]},
    ),
    ("nghe-ht", "Giới thiệu việc làm sau đào tạo", "employment_counselling", {"min_age": 16}),
    ("nghe-tn", "Học nghề cơ khí và điện", "education_vocational", {"min_age": 15, "places": 25}),
    ("nghe-tn", "Học nghề nấu ăn", "education_vocational", {"min_age": 15, "places": 0}),
    (
        "vieclam-qt",
        "Tư vấn và giới thiệu việc làm",
        "employment_counselling",
        {"min_age": 15, "languages": ["vi", "lo"]},
    ),
    ("vieclam-qt", "Hỗ trợ đi lại về quê từ Lào", "travel_home", {"languages": ["vi", "lo"]}),
    ("nhcsxh", "Vay vốn ưu đãi tạo việc làm", "loans", {"min_age": 18}),
    ("nhcsxh", "Vay vốn học nghề", "loans", {"min_age": 18, "status": ServiceStatus.CLOSED}),
    (
        "tamly-hcm",
        "Tham vấn tâm lý cho nạn nhân",
        "psychological_support",
        {"languages": ["vi", "en"], "places": 6},
    ),
    ("tamly-hcm", "Nhóm hỗ trợ đồng đẳng", "psychological_support", {"min_age": 16, "places": 0}),
    ("hope", "Tìm kiếm gia đình cho trẻ em", "family_tracing", {"max_age": 17, "child_friendly": True}),
    ("spc-hn", "Hỗ trợ hồ sơ vay vốn", "loans", {"min_age": 18}),
]


def _province(codename: str) -> Province:
    return Province.objects.get(codename=codename)


def _provider(spec: tuple[str, str, str, str, str, str]) -> Provider | None:
    _key, code, name, province, kind, phone = spec
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            return None
        existing = Provider.objects.filter(agency=agency).first()
        if existing:
            return existing
        return services.provider_create(
            actor=None, name=agency.name_vi, province=agency.province, agency=agency, phone=phone
        )
    existing = Provider.objects.filter(name=name, agency__isnull=True).first()
    if existing:
        return existing
    return services.provider_create(
        actor=None, name=name, province=_province(province), kind=kind, phone=phone
    )


def load(*, options: dict[str, Any], out: TextIO) -> None:
    rng = random.Random(16)  # noqa: S311 (demo data, not secrets)
    providers = {spec[0]: p for spec in PROVIDERS if (p := _provider(spec)) is not None}
    now = timezone.now()
    made = 0
    for key, name, kind, extra in SERVICES:
        provider = providers.get(key)
        if provider is None or Service.objects.filter(provider=provider, name=name).exists():
            continue
        extra = dict(extra)
        status = extra.pop("status", ServiceStatus.ACTIVE)
        areas = [(_province(c), None) for c in extra.pop("areas", [])]
        beds = extra.pop("beds", None)
        places = extra.pop("places", None)
        data: dict[str, Any] = {
            "name": name,
            "service_type": kind,
            "province": provider.province,
            "languages": extra.pop("languages", ["vi"]),
            "schedule": "Thứ Hai - Thứ Sáu, 7:30-17:00" if kind != "shelter" else "24/7",
            "contact_phone": "",
            **extra,
        }
        available = None
        if beds is not None:
            data.update(
                capacity_unit="beds",
                capacity_maximum=beds,
                address=f"Số {rng.randint(1, 200)} đường Bình Yên",
            )
            available = rng.randint(0, beds // 3)
        elif places is not None:
            data.update(capacity_unit="places", capacity_maximum=max(places, 1) * 2)
            available = places
        else:
            data["address"] = f"Số {rng.randint(1, 200)} phố Hòa Bình"
        service = services.service_create(
            actor=None, provider=provider, data=data, areas=areas, capacity_available=available
        )
        updates: dict[str, Any] = {}
        if status != ServiceStatus.ACTIVE:
            updates["status"] = status
        if available is not None and rng.random() < 0.2:
            # A count nobody has refreshed: "has capacity now" no longer trusts it.
            updates["capacity_updated_at"] = now - datetime.timedelta(days=rng.randint(9, 40))
        if updates:
            Service.objects.filter(pk=service.pk).update(**updates)
        made += 1
    total = Service.objects.count()
    out.write(f"Service directory: {len(providers)} providers, {total} services ({made} new)\n")
