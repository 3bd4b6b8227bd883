"""Builders for the directory's tests: providers and services made through the services."""

from typing import Any

from shield.accounts.models import Agency, User
from shield.accounts.roles import Role
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.referrals.directory import services
from shield.referrals.models import Provider, Service

SHELTER_ADDRESS = "Số 12 ngõ Bình Yên, phường Ba Đình"


def provider(
    agency: Agency | None = None, *, name: str = "", province_code: str = "01", **kw: Any
) -> Provider:
    return services.provider_create(
        actor=None,
        name=name or (agency.name_vi if agency else "Phòng khám Hòa Bình"),
        province=agency.province if agency else province(province_code),
        agency=agency,
        **kw,
    )


def service(
    prov: Provider,
    *,
    name: str = "Tư vấn tâm lý",
    service_type: str = "psychological_support",
    province_code: str | None = None,
    capacity_available: int | None = None,
    **data: Any,
) -> Service:
    fields: dict[str, Any] = {
        "name": name,
        "service_type": service_type,
        "province": province(province_code) if province_code else prov.province,
    }
    fields.update(data)
    return services.service_create(
        actor=None, provider=prov, data=fields, capacity_available=capacity_available
    )


def shelter(prov: Provider, **data: Any) -> Service:
    data.setdefault("name", "Nhà tạm lánh Bình Yên")
    data.setdefault("capacity_unit", "beds")
    data.setdefault("capacity_maximum", 20)
    data.setdefault("address", SHELTER_ADDRESS)
    return service(prov, service_type="shelter", capacity_available=data.pop("capacity_available", 5), **data)


def agency_in(code: str, province_code: str = "01") -> Agency:
    agency: Agency = AgencyFactory.create(
        code=code, name_vi=f"Trung tâm {code}", name_en=f"Centre {code}", province=province(province_code)
    )
    return agency


def staff(agency: Agency, username: str, role: str = Role.SERVICE_PROVIDER, **kw: Any) -> User:
    return member(role, agency=agency, username=username, **kw)
