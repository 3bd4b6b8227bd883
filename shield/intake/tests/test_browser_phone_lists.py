"""Lists on a phone (390 px wide): the case, screening and tip lists never scroll the page sideways,
and every column is either visible or shown as the label of its value on the row's card."""

import pytest

from shield.accounts.tests.factories import DEFAULT_PASSWORD
from shield.cases.tests.factories import open_case
from shield.intake.tests.factories import draft, gate_post, tip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each column header: every cell of that column lies inside the viewport and either the header
# itself is on screen or the cell carries the header as its card label (drawn by ::before).
UNREADABLE_COLUMNS = """(selector) => {
  const table = document.querySelector(selector);
  const heads = [...table.querySelectorAll('thead th')];
  const headerShown = (th) => {
    const r = th.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.left >= 0 && r.right <= innerWidth;
  };
  const problems = [];
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.children].forEach((cell, i) => {
      const r = cell.getBoundingClientRect();
      if (r.left < 0 || r.right > innerWidth + 0.5) problems.push(`column ${i} outside the screen`);
      const name = heads[i].textContent.trim();
      const label = getComputedStyle(cell, '::before').content;
      if (!headerShown(heads[i]) && !label.includes(name)) problems.push(`column ${name} has no label`);
    });
  }
  return problems;
}"""


def _phone(chromium):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def _assert_readable(page, url, table):
    page.goto(url)
    page.wait_for_selector(f"[data-testid={table}] tbody tr")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.evaluate("innerWidth")
    assert page.evaluate(UNREADABLE_COLUMNS, f"[data-testid={table}]") == []


def test_case_screening_and_tip_lists_fit_a_phone(live_server, chromium):
    gate = gate_post(username="bg.phonelist")
    worker = gate.case_worker
    worker.username = "cw.phonelist"
    worker.save(update_fields=["username"])
    open_case(actor=worker, agency=gate.receiver)
    tip(worker)
    draft(gate.officer, traveller_name="Nguyễn Thị Phương Thảo Hoàng Lan")
    base = live_server.url
    context, page = _phone(chromium)
    try:
        _sign_in(page, base, "cw.phonelist")
        _assert_readable(page, f"{base}/cases/", "case-table")
        _assert_readable(page, f"{base}/intake/tips/", "tip-table")
        _assert_readable(page, f"{base}/people/", "person-table")
    finally:
        context.close()
    context, page = _phone(chromium)
    try:
        _sign_in(page, base, "bg.phonelist")
        _assert_readable(page, f"{base}/intake/screenings/?status=draft", "screening-table")
    finally:
        context.close()


# The widest "any" choice of each filter against the room its select leaves for text.
CLIPPED_FILTERS = """() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const clipped = [];
  for (const select of document.querySelectorAll('form[role=search] select')) {
    const style = getComputedStyle(select);
    ctx.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const text = select.options[select.selectedIndex].text;
    if (ctx.measureText(text).width > room) clipped.push(`${select.name}: ${text}`);
  }
  return clipped;
}"""


def test_filters_show_their_whole_any_choice_in_vietnamese(live_server, chromium):
    gate = gate_post(username="bg.filters")
    worker = gate.case_worker
    worker.username = "cw.filters"
    worker.save(update_fields=["username"])
    base = live_server.url
    context, page = _phone(chromium)
    try:
        _sign_in(page, base, "cw.filters")
        page.set_viewport_size({"width": 1280, "height": 900})  # the language buttons outside the menu
        page.get_by_test_id("lang-vi").click()
        page.wait_for_load_state()
        for width in (390, 576, 800, 1000, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for path in ("/intake/tips/", "/cases/", "/people/"):
                page.goto(f"{base}{path}")
                assert page.evaluate(CLIPPED_FILTERS) == [], (width, path)
        page.goto(f"{base}/intake/tips/")
        assert page.get_by_label("Mã tin báo").count() == 1  # the tip's reference, not a case file's
    finally:
        context.close()
