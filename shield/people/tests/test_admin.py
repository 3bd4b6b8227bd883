"""The admin shows people read-only, searchable by name as typed, never their contact details."""

import pytest
from django.urls import reverse

from shield.accounts.roles import Role
from shield.accounts.tests.factories import UserFactory, member
from shield.audit.models import AuditEvent
from shield.people.models import IdentityDocument, Person
from shield.people.tests.factories import document, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_people_are_listed_searchable_by_accented_name_and_the_read_is_audited(superuser_client):
    hoa = person(full_name="Nguyễn Thị Hoa", contact="zalo: chị Hoa")
    person(full_name="Trần Văn Nam", sex="male")
    response = superuser_client.get(reverse("admin:people_person_changelist"), {"q": "Nguyễn Hoa"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nguyễn Thị Hoa" in content
    assert "Trần Văn Nam" not in content
    assert AuditEvent.objects.filter(action="list", object_type="people.person").exists()

    detail = superuser_client.get(reverse("admin:people_person_change", args=[hoa.pk]))
    assert detail.status_code == 200
    assert "Nguyễn Thị Hoa" in detail.content.decode()
    assert "zalo" not in detail.content.decode()
    assert AuditEvent.objects.filter(
        action="view", object_type="people.person", object_id=str(hoa.pk)
    ).exists()


def test_nothing_is_added_changed_or_deleted_in_the_admin(superuser_client):
    hoa = person()
    card = document(of=hoa)
    assert superuser_client.get(reverse("admin:people_person_add")).status_code == 403
    assert superuser_client.get(reverse("admin:people_person_delete", args=[hoa.pk])).status_code == 403
    response = superuser_client.post(
        reverse("admin:people_person_change", args=[hoa.pk]), {"full_name": "Changed"}
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=hoa.pk).full_name == "Nguyễn Thị Hoa"
    assert (
        superuser_client.get(reverse("admin:people_identitydocument_delete", args=[card.pk])).status_code
        == 403
    )


def test_documents_are_searchable_by_number_as_written(superuser_client):
    card = document(of=person(), number="001195012345")
    document(of=person(full_name="Trần Thị Lan"), number="079195000001")
    response = superuser_client.get(reverse("admin:people_identitydocument_changelist"), {"q": "001-195-012"})
    assert response.status_code == 200
    assert card.number in response.content.decode()
    assert "079195000001" not in response.content.decode()
    assert IdentityDocument.objects.count() == 2


def test_a_system_administrator_without_people_permissions_does_not_see_people(client):
    admin_user = member(Role.SYSTEM_ADMIN, username="sysadmin")
    person()
    client.force_login(admin_user)
    assert client.get(reverse("admin:people_person_changelist")).status_code == 403
