"""A citizen asks, on a phone, for a record about them to be corrected (条例第四十一条)."""

import re

from requests_app.models import Application
from tests.factories import VALID_RESIDENT_ID, pdf_bytes


def _solve(page):
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = map(int, re.findall(r"\d+", question)[:2])
    page.fill("#id_answer", str(a + b))


def test_citizen_files_a_correction_request_with_evidence_on_a_360_px_phone(phone, gongan, tmp_path):
    page = phone
    page.goto("/xxgk/apply/")
    # A disclosure application first: the correction fields are hidden, the carrier form shown.
    assert page.is_checked("input[name=kind][value=disclosure]")
    assert page.is_visible("input[name=form_wanted][value=paper]") and not page.is_visible("#id_inaccuracy")
    page.check("input[name=kind][value=correction]")
    assert page.is_visible("#id_inaccuracy") and page.is_visible("#id_correct_record") and page.is_visible("#id_provided_in")
    assert not page.is_visible("input[name=form_wanted][value=paper]")
    assert page.get_by_text("要求更正的政府信息", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    page.select_option("#id_organisation", str(gongan.pk))
    page.fill("#id_applicant_name", "王小明")
    page.fill("#id_id_number", VALID_RESIDENT_ID)
    page.fill("#id_phone", "13800138000")
    page.fill("#id_address", "青禾县人民路18号")
    page.fill("#id_description", "本人户籍登记信息")
    page.fill("#id_provided_in", "县公安局依复〔2026〕3号答复告知书")
    page.fill("#id_inaccuracy", "出生日期记载为1980年5月1日")
    page.fill("#id_correct_record", "出生日期应为1980年5月11日")
    page.check("input[name=delivery][value=pick_up]")
    _solve(page)
    page.click("form.apply-form button[type=submit]")  # no evidence yet: refused, everything kept
    assert "申请更正须有证据证明" in page.content()
    assert page.is_checked("input[name=kind][value=correction]") and page.is_visible("#id_inaccuracy")
    assert page.input_value("#id_correct_record") == "出生日期应为1980年5月11日"

    evidence = tmp_path / "出生证明.pdf"
    evidence.write_bytes(pdf_bytes("出生医学证明"))
    page.set_input_files("#id_supporting_file", str(evidence))
    _solve(page)
    page.click("form.apply-form button[type=submit]")
    page.wait_for_url("**/xxgk/apply/receipt/")
    application = Application.objects.get()
    assert application.kind == "correction" and application.supporting_file
    assert "政府信息更正申请回执" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
