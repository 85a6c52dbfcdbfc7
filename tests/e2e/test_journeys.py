"""The journeys a person makes, in a real browser."""

import re

from disclosure.models import Document
from requests_app.models import Application
from tests.e2e.conftest import login
from tests.factories import VALID_RESIDENT_ID, make_topic


def test_large_text_mode_is_remembered_across_pages(page, db):
    page.goto("/")
    toggle = page.get_by_role("button", name="大字版")
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    toggle.click()
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > size
    page.goto("/xxgk/")
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    assert page.get_by_role("button", name="标准字号").get_attribute("aria-pressed") == "true"


def test_keyboard_user_can_skip_to_the_content(page, db):
    page.goto("/xxgk/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_citizen_applies_on_a_phone_and_looks_up_the_status(phone, gongan):
    page = phone
    page.goto("/xxgk/apply/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.select_option("#id_organisation", str(gongan.pk))
    page.check("input[name=applicant_kind][value=organisation]")
    assert page.is_visible("#id_credit_code") and not page.is_visible("#id_id_number")
    page.check("input[name=applicant_kind][value=person]")
    assert page.is_visible("#id_id_number") and not page.is_visible("#id_credit_code")
    page.fill("#id_applicant_name", "王小明")
    page.fill("#id_id_number", VALID_RESIDENT_ID)
    page.fill("#id_phone", "13800138000")
    page.fill("#id_address", "青禾县人民路18号")
    page.fill("#id_description", "2025年青禾县户籍人口统计数据")
    page.check("input[name=form_wanted][value=paper]")
    page.check("input[name=delivery][value=pick_up]")
    page.fill("#id_answer", "1")  # wrong first: the form comes back with everything kept
    page.click("form.apply-form button[type=submit]")
    assert "验证问题回答错误" in page.content()
    assert page.input_value("#id_description") == "2025年青禾县户籍人口统计数据"
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = map(int, re.findall(r"\d+", question)[:2])
    page.fill("#id_answer", str(a + b))
    page.click("form.apply-form button[type=submit]")
    page.wait_for_url("**/xxgk/apply/receipt/")
    application = Application.objects.get()
    # The code is only on this page (and in the mail): the database keeps its hash.
    query_code = page.locator(".receipt-number").nth(1).inner_text().strip()
    assert application.tracking_number in page.content() and application.check_query_code(query_code)

    page.goto("/xxgk/apply/status/")
    page.fill("#id_tracking_number", application.tracking_number)
    page.fill("#id_query_code", query_code)
    page.get_by_role("button", name="查询").click()
    assert "已收到，待登记" in page.content() and "收到申请" in page.content()


def test_clerk_pastes_rich_text_and_the_body_is_saved_clean(page, gongan, gongan_clerk):
    topic = make_topic()
    login(page, "gongan_clerk")
    page.goto("/admin/disclosure/document/add/")
    page.fill("#id_title", "关于开展春季消防安全检查的通知")
    page.fill("#id_written_date", "2026-03-01")
    page.select_option("#id_topic", str(topic.pk))
    page.select_option("#id_attribute", "proactive")
    editor = page.locator(".richtext-area")
    editor.click()
    # What a paste from Word puts into the editor: structure, styles and a stray script.
    editor.evaluate(
        "(el) => { el.innerHTML = '<h2 style=\"mso-x:1\">一、检查范围</h2><p class=\"MsoNormal\">全县各单位。</p>'"
        " + '<table><tr><td>序号</td><td>单位</td></tr></table><img src=x onerror=alert(1)>';"
        " el.dispatchEvent(new Event('input')); }"
    )
    page.click("input[name=_save]")
    page.wait_for_url(re.compile(r".*/admin/disclosure/document/$"))
    document = Document.objects.get()
    assert "<h2>一、检查范围</h2>" in document.body and "<td>序号</td>" in document.body
    assert "onerror" not in document.body and "mso" not in document.body and "MsoNormal" not in document.body


def test_public_pages_fit_a_360_px_phone(phone, gongan, gongan_clerk, gongan_reviewer, county_reviewer):
    from catalog.guidelines import load_guidelines
    from catalog.models import Catalogue, Domain
    from catalog.workflow import approve, first_review, start_catalogue, submit
    from tests.factories import make_document, publish_document

    load_guidelines()
    domain = Domain.objects.get(name="户籍管理")
    guideline = Catalogue.objects.get(domain=domain, is_guideline=True)
    catalogue = start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    submit(catalogue, by=gongan_clerk)
    first_review(catalogue, by=gongan_reviewer)
    approve(catalogue, by=county_reviewer)
    document = publish_document(
        make_document(gongan, gongan_clerk, title="关于户籍业务“跨省通办”有关事项的公告（一个很长很长的标题用来检验换行）",
                      document_number="青公发〔2026〕3号", body="<table><tr><td>一</td><td>二</td></tr></table>"),
        gongan_clerk, gongan_reviewer,
    )
    pages = ["/", "/xxgk/", "/xxgk/catalogue/", f"/xxgk/catalogue/{domain.slug}/{gongan.pk}/",
             f"/xxgk/documents/{document.pk}/", "/xxgk/documents/", "/xxgk/normative/", f"/xxgk/guide/{gongan.pk}/",
             "/xxgk/apply/status/", "/search/?q=户籍"]
    for url in pages:
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide"
