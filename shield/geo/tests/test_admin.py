"""The admin shows the law-given geography read-only; border gates are editable, audited, never deleted."""

import pytest
from django.contrib.auth import get_user_model

from shield.audit.models import AuditEvent
from shield.geo.models import BorderGate, Commune, FormerProvince, Province

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(username="geo-admin", password="geo-admin-pass-42")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", [Province, Commune, FormerProvince])
def test_admin_lists_reference_geography_but_offers_no_add(admin_client, model):
    base = f"/admin/geo/{model._meta.model_name}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403


@pytest.mark.parametrize("model", [Province, Commune, FormerProvince])
def test_admin_refuses_to_change_or_delete_reference_geography(admin_client, model):
    obj = model.objects.order_by("code").first()
    name = obj.name
    base = f"/admin/geo/{model._meta.model_name}/{obj.pk}/"
    admin_client.post(f"{base}change/", {"name": "Changed"})
    response = admin_client.post(f"{base}delete/", {"post": "yes"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.name == name


def test_admin_commune_search_and_province_filter(admin_client):
    hanoi = Province.objects.get(code="01")
    response = admin_client.get("/admin/geo/commune/", {"q": "00070"})
    assert "Phường Hoàn Kiếm" in response.content.decode()
    response = admin_client.get(
        "/admin/geo/commune/", {"province__id__exact": str(hanoi.pk), "q": "Hoàn Kiếm"}
    )
    assert "Phường Hoàn Kiếm" in response.content.decode()
    other = Province.objects.get(code="79")
    response = admin_client.get(
        "/admin/geo/commune/", {"province__id__exact": str(other.pk), "q": "Hoàn Kiếm"}
    )
    assert "Phường Hoàn Kiếm" not in response.content.decode()


def test_admin_border_gate_edit_is_saved_and_audited(admin_client):
    gate = BorderGate.objects.get(code="moc-bai")
    response = admin_client.post(
        f"/admin/geo/bordergate/{gate.pk}/change/",
        {
            "code": gate.code,
            "name": "Cửa khẩu quốc tế Mộc Bài (mới)",
            "province": str(gate.province_id),
            "kind": gate.kind,
            "neighbour_country": gate.neighbour_country,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    gate.refresh_from_db()
    assert gate.name == "Cửa khẩu quốc tế Mộc Bài (mới)"
    event = AuditEvent.objects.get(object_type="geo.bordergate", object_id=str(gate.pk))
    assert event.action == "update"
    assert event.changed_fields == ["name"]


def test_admin_border_gate_cannot_be_deleted(admin_client):
    gate = BorderGate.objects.get(code="lao-bao")
    response = admin_client.post(f"/admin/geo/bordergate/{gate.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = admin_client.post(
        "/admin/geo/bordergate/",
        {"action": "delete_selected", "_selected_action": [str(gate.pk)], "post": "yes"},
    )
    assert BorderGate.objects.filter(pk=gate.pk).exists()
