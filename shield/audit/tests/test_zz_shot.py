import pytest
from playwright.sync_api import sync_playwright
from shield.audit import record
from shield.accounts.tests.factories import DEFAULT_PASSWORD

@pytest.mark.django_db(transaction=True)
def test_shot(live_server, national_auditor, alice, agency, build_chain):
    build_chain(70)
    for i in range(3):
        record(action="update", actor=alice, object_type="cases.case", object_id=f"case-{i}", reason="Moved to shelter", ip_address="10.1.1.1")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run"])
        page = b.new_page(viewport={"width": 1300, "height": 1100})
        errors = []
        page.on("console", lambda m: errors.append(m.text))
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "national.auditor")
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.click("button[type=submit]")
        page.goto(live_server.url + "/audit/?date_from=01/01/2020")
        page.screenshot(path="/tmp/auditshots/list.png", full_page=False)
        page.goto(live_server.url + "/audit/?date_from=31/02/2020")
        page.screenshot(path="/tmp/auditshots/invalid.png")
        page.goto(live_server.url + "/audit/?actor=alice")
        page.click("[data-testid=event-link] >> nth=0")
        page.screenshot(path="/tmp/auditshots/detail.png", full_page=True)
        print("console:", errors)
        b.close()
