"""Under the Content-Security-Policy, a real browser blocks nothing on our pages: the public form, the
receipt (its print button), and the back office's application page with its step panel."""

import re

from requests_app.models import Application
from tests.e2e.conftest import login
from tests.factories import VALID_RESIDENT_ID


def watch_for_violations(page):
    """Chromium reports a blocked script or style in the console and as a securitypolicyviolation event."""
    reported = []
    page.on("console", lambda message: reported.append(message.text) if "Content Security Policy" in message.text else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI); });"
    )
    return reported


def test_the_form_the_receipt_and_an_admin_page_break_no_policy(page, gongan, gongan_clerk):
    reported = watch_for_violations(page)
    response = page.goto("/xxgk/apply/")
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    # The watch sees a violation when there is one: an inline style put in by hand.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<style>body { color: red; }</style>')")
    page.wait_for_timeout(200)
    assert reported, "the violation watch reported nothing"
    reported.clear()
    page.select_option("#id_organisation", str(gongan.pk))
    page.check("input[name=applicant_kind][value=organisation]")  # apply.js shows and hides fields
    assert page.is_visible("#id_credit_code")
    page.check("input[name=applicant_kind][value=person]")
    page.fill("#id_applicant_name", "王小明")
    page.fill("#id_id_number", VALID_RESIDENT_ID)
    page.fill("#id_phone", "13800138000")
    page.fill("#id_address", "青禾县人民路18号")
    page.fill("#id_description", "2025年青禾县户籍人口统计数据")
    page.check("input[name=form_wanted][value=paper]")
    page.check("input[name=delivery][value=pick_up]")
    a, b = map(int, re.findall(r"\d+", page.locator("label[for=id_answer]").inner_text())[:2])
    page.fill("#id_answer", str(a + b))
    page.click("form.apply-form button[type=submit]")
    page.wait_for_url("**/xxgk/apply/receipt/")
    # The print button works from site.js, not from an inline onclick.
    page.evaluate("window.printed = false; window.print = function () { window.printed = true; }")
    page.get_by_role("button", name="打印回执").click()
    assert page.evaluate("window.printed")

    application = Application.objects.get()
    login(page, "gongan_clerk")
    page.goto(f"/admin/requests_app/application/{application.pk}/change/")
    assert application.tracking_number in page.content()
    page.goto("/admin/requests_app/application/")
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    assert reported == []
