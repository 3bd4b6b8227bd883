"""Browser journey in Chromium: a case worker registers a girl (seeing how her name is read and
that someone similar exists), adds a CCCD that contradicts her year of birth, then finds her."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from shield.accounts.roles import Role
from shield.accounts.tests.factories import DEFAULT_PASSWORD, AgencyFactory, member, province
from shield.people.models import IdentityDocument, Person
from shield.people.tests import factories as people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_case_worker_registers_a_girl_adds_her_cccd_and_finds_her(live_server, page):
    agency = AgencyFactory(name_en="Lao Cai Protection Centre", province=province("01"))
    member(Role.CASE_WORKER, agency=agency, username="cw.people")
    # Someone similar is already registered by a colleague: same name, same year of birth.
    existing = people.person(
        actor=member(Role.CASE_WORKER, agency=agency),
        full_name="Nguyễn Thị Hoa",
        birth_date=datetime.date(2010, 6, 1),
    )

    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("cw.people")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="People").click()
    page.wait_for_url(f"{live_server.url}/people/")
    page.get_by_test_id("register-person").click()
    page.wait_for_url(f"{live_server.url}/people/new/")

    # The parts of the name follow as it is typed (htmx asks the server to parse it).
    page.get_by_role("textbox", name="Full name", exact=True).fill("NGUYEN THI HOA")
    expect(page.get_by_test_id("parse-preview")).to_contain_text("family name Nguyen")
    expect(page.get_by_label("Family name", exact=True)).to_have_value("Nguyen")
    expect(page.get_by_label("Middle name", exact=True)).to_have_value("Thi")
    expect(page.get_by_label("Given name", exact=True)).to_have_value("Hoa")

    page.get_by_role("combobox", name="Sex", exact=True).select_option("female")
    page.get_by_role("combobox", name="Date of birth known to", exact=True).select_option("year")
    page.get_by_label("Date of birth", exact=True).fill("2010")
    page.get_by_label("Home province", exact=True).select_option("01")
    commune = page.get_by_label("Home commune", exact=True)
    ba_dinh = commune.locator("option", has_text="Ba Đình")
    expect(ba_dinh).to_have_count(1)  # the province's communes arrived
    commune.select_option(ba_dinh.get_attribute("value"))
    page.get_by_label("Contact details", exact=True).fill("Aunt: 0987 000 111")
    page.get_by_test_id("save-person").click()

    # Not saved yet: a possible duplicate is shown first.
    candidates = page.get_by_test_id("duplicate-candidates")
    expect(candidates).to_be_visible()
    expect(candidates.get_by_role("link", name="Nguyễn Thị Hoa")).to_have_attribute(
        "href", f"/people/{existing.pk}/"
    )
    assert Person.objects.count() == 1
    page.get_by_test_id("register-anyway").click()

    page.wait_for_url(re.compile(r".*/people/[0-9a-f-]{36}/$"))
    hoa = Person.objects.exclude(pk=existing.pk).get()
    assert page.url == f"{live_server.url}/people/{hoa.pk}/"
    expect(page.get_by_test_id("person-name")).to_have_text("NGUYEN THI HOA")
    expect(page.get_by_text("The person was registered.")).to_be_visible()
    expect(page.get_by_test_id("person-birth")).to_contain_text("2010")
    assert (hoa.family_name, hoa.middle_name, hoa.given_name) == ("Nguyen", "Thi", "Hoa")
    assert "Ba Đình" in hoa.home_commune.name

    # A CCCD whose digits say born in 2005: saved, with a visible warning.
    page.evaluate("document.body.dataset.mark = 'kept'")
    page.get_by_role("combobox", name="Kind of document", exact=True).select_option("cccd")
    page.get_by_role("textbox", name="Number", exact=True).fill("001305012345")
    page.get_by_role("button", name="Add document").click()
    warning = page.get_by_test_id("document-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("another year of birth")
    expect(page.get_by_test_id("document-number")).to_have_text("001305012345")
    assert page.evaluate("document.body.dataset.mark") == "kept"  # updated in place
    assert IdentityDocument.objects.get(person=hoa).warnings == ["cccd_birth_year_mismatch"]

    # Found again from the search box, results updated in place as she types.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="People").click()
    page.wait_for_url(f"{live_server.url}/people/")
    page.evaluate("document.body.dataset.mark = 'kept'")
    page.get_by_label("Name or document number").fill("hoa 2010")
    # htmx posted the search and pushed the key it was kept under: the words are not in the URL.
    page.wait_for_url(re.compile(r".*/people/\?s=[\w-]+$"))
    assert "hoa" not in page.url
    results = page.get_by_test_id("person-table")
    expect(results.locator(f'a[href="/people/{hoa.pk}/"]')).to_have_text("NGUYEN THI HOA")
    expect(results.get_by_test_id("person-link")).to_have_count(2)
    assert page.evaluate("document.body.dataset.mark") == "kept"
    # Nothing was blocked by the strict CSP (no inline script or style) and htmx raised no error.
    assert console_errors == []
