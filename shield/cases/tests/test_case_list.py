"""The case list: filters, search, order, and a constant number of queries whatever the page size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shield.accounts.roles import ROLE_PERMISSIONS, Role, Scope
from shield.accounts.tests.factories import AgencyFactory, member, province
from shield.cases import selectors, services
from shield.cases.models import Case, CaseType, Stage
from shield.cases.selectors import CaseFilters
from shield.cases.tests import factories as f
from shield.people.selectors import display_name_for
from shield.people.tests.factories import document

pytestmark = pytest.mark.django_db


def _render_page(user, filters=None):
    """What a list page touches for each row."""
    rows = []
    page = list(selectors.case_list_for(user=user, filters=filters or CaseFilters())[:50])
    overdue = selectors.overdue_case_ids(cases=page)
    for case in page:
        rows.append(
            (
                case.reference,
                display_name_for(user=user, person=case.person),
                case.owner_agency.name,
                case.owner_agency.province.name,
                str(case.assigned_worker or ""),
                case.get_stage_display(),
                case.pk in overdue,
            )
        )
    return rows


def _queries(user, filters=None):
    with CaptureQueriesContext(connection) as captured:
        rows = _render_page(user, filters)
    return len(captured), rows


def _many(team, count):
    for _ in range(count):
        case = f.open_case(actor=team.worker, agency=team.agency)
        services.case_assign(
            actor=team.supervisor, case=case, worker=team.worker, expected_version=case.version
        )


def test_the_list_costs_the_same_queries_for_5_and_30_cases():
    team = f.team()
    _many(team, 5)
    viewer = member(Role.SUPERVISOR, agency=team.agency, scope=Scope.PROVINCE)
    few, rows = _queries(viewer, CaseFilters(search="nguyen", has_overdue_actions=False))
    assert len(rows) == 5
    _many(team, 25)
    viewer = type(viewer).objects.get(pk=viewer.pk)  # a new request: fresh membership cache
    many, rows = _queries(viewer, CaseFilters(search="nguyen"))
    assert len(rows) == 30
    assert few == many
    assert many <= 5  # memberships, permissions, the page, the overdue badges


def test_the_list_is_newest_first():
    team = f.team()
    cases = [f.open_case(actor=team.worker) for _ in range(3)]
    listed = list(selectors.case_list_for(user=team.worker))
    assert listed == list(reversed(cases))


def test_filters_by_stage_type_agency_province_and_assignment():
    hanoi = f.team(province=province("01"))
    other = f.team(province=province("79"))
    registered = f.open_case(actor=hanoi.worker)
    witness = f.put_at(f.open_case(actor=hanoi.worker, case_type=CaseType.CHILD_WITNESS), Stage.SERVICES)
    elsewhere = f.open_case(actor=other.worker)
    services.case_assign(
        actor=hanoi.supervisor, case=witness, worker=hanoi.worker, expected_version=witness.version
    )
    national = member(Role.SUPERVISOR, scope=Scope.NATIONAL)

    def listed(user=national, **kw):
        return set(selectors.case_list_for(user=user, filters=CaseFilters(**kw)))

    assert listed() == {registered, witness, elsewhere}
    assert listed(stages=(Stage.SERVICES, Stage.CARE_PLAN)) == {witness}
    assert listed(case_type=CaseType.CHILD_WITNESS) == {witness}
    assert listed(owner_agency_id=other.agency.pk) == {elsewhere}
    assert listed(province_id=province("01").pk) == {registered, witness}
    assert listed(user=hanoi.worker, assigned_to_me=True) == {witness}
    assert listed(assigned_to_me=True) == set()


def test_filter_by_overdue_actions():
    team = f.team()
    late = f.open_case(actor=team.worker)
    f.approved_plan(late, due_on=timezone.localdate() - datetime.timedelta(days=1))
    on_time = f.open_case(actor=team.worker)
    f.approved_plan(on_time, due_on=timezone.localdate() + datetime.timedelta(days=1))
    assert list(selectors.case_list_for(user=team.worker, filters=CaseFilters(has_overdue_actions=True))) == [
        late
    ]
    assert selectors.overdue_case_ids(cases=selectors.case_list_for(user=team.worker)) == {late.pk}
    assert selectors.overdue_case_ids(cases=[]) == set()


def test_search_finds_a_person_as_a_vietnamese_user_types_the_name():
    team = f.team()
    hoa = f.open_case(actor=team.worker, person_=f.person(actor=team.worker, full_name="Nguyễn Thị Hoa"))
    f.open_case(actor=team.worker, person_=f.person(actor=team.worker, full_name="Trần Văn Hùng"))
    for query in ("nguyen thi hoa", "Nguyễn Thị Hoa", "NGUYEN HOA", "hoa"):
        found = list(selectors.case_list_for(user=team.worker, filters=CaseFilters(search=query)))
        assert found == [hoa], query


def test_search_finds_a_case_by_reference_and_by_document_number():
    team = f.team(code="spc-da-nang")
    case = f.open_case(actor=team.worker)
    f.open_case(actor=team.worker)
    found = list(
        selectors.case_list_for(user=team.worker, filters=CaseFilters(search=case.reference.lower()))
    )
    assert found == [case]
    document(of=case.person, number="001195012345")
    found = list(selectors.case_list_for(user=team.worker, filters=CaseFilters(search="001195012345")))
    assert found == [case]


def test_name_search_does_not_unmask_children_for_roles_that_see_only_initials(monkeypatch):
    team = f.team()
    child = f.person(
        actor=team.worker,
        full_name="Giàng Thị Mai",
        birth_date=timezone.localdate() - datetime.timedelta(days=365 * 11),
    )
    adult = f.person(actor=team.worker, full_name="Giàng Thị Mai", birth_date=datetime.date(1990, 1, 1))
    child_case = f.open_case(actor=team.worker, person_=child)
    adult_case = f.open_case(actor=team.worker, person_=adult)
    justice = member(Role.JUSTICE_OFFICER, agency=team.agency)
    search = CaseFilters(search="giang mai")
    assert set(selectors.case_list_for(user=justice, filters=search)) == {child_case, adult_case}
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        Role.JUSTICE_OFFICER,
        ROLE_PERMISSIONS[Role.JUSTICE_OFFICER] - {"people.see_child_names"},
    )
    justice = type(justice).objects.get(pk=justice.pk)
    assert set(selectors.case_list_for(user=justice, filters=search)) == {adult_case}
    # The child's case is still listed, with the name masked, when not searched by name.
    names = {
        c.pk: display_name_for(user=justice, person=c.person) for c in selectors.case_list_for(user=justice)
    }
    assert names[adult_case.pk] == "Giàng Thị Mai"
    assert "Giàng" not in names[child_case.pk]
    # The reference still finds it.
    found = selectors.case_list_for(user=justice, filters=CaseFilters(search=child_case.reference))
    assert list(found) == [child_case]


def test_another_agency_lists_nothing_of_ours():
    team = f.team()
    f.open_case(actor=team.worker)
    outsider = member(Role.CASE_WORKER, agency=AgencyFactory())
    assert not selectors.case_list_for(user=outsider).exists()
    assert Case.objects.count() == 1


def test_the_list_does_not_load_the_persons_encrypted_contact():
    team = f.team()
    f.open_case(actor=team.worker)
    case = selectors.case_list_for(user=team.worker)[0]
    assert "contact" in case.person.get_deferred_fields()
