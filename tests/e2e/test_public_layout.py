"""Layout of the public pages in a real browser: readable table columns on a desktop, no sideways
scrolling on a phone in 大字版."""

import pytest

from catalog.guidelines import load_domains
from catalog.models import Domain
from portal.models import Organisation
from tests.e2e.conftest import login
from tests.factories import make_document, make_guideline, make_organisation, make_published_catalogue, publish_document


@pytest.fixture
def site(county, gongan, gongan_clerk, gongan_reviewer, county_reviewer, jiaoyu):
    load_domains()  # all 26: the overview is as wide as it gets
    domain = Domain.objects.get(slug="household-registration")
    make_guideline(domain)
    make_published_catalogue(gongan, domain, clerk=gongan_clerk, reviewer=gongan_reviewer, county_reviewer=county_reviewer)
    make_organisation("青禾县人力资源和社会保障局", parent=county, short_name="县人力资源社会保障局")
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county)
    village = make_organisation("柳河村民委员会", kind=Organisation.Kind.VILLAGE, parent=town, credit_code="",
                                is_disclosure_body=False)
    document = make_document(gongan, gongan_clerk, title="关于户籍业务跨省通办的公告", document_number="青公发〔2026〕3号",
                             body="<p>正文</p>", catalogue_item=gongan.catalogues.get().items.get(name="出生登记"))
    publish_document(document, gongan_clerk, gongan_reviewer)
    return {"domain": domain, "gongan": gongan, "town": town, "village": village, "document": document}


def column_widths(page, selector):
    """[(text, width in px, width in the cell's own em)] of the cells matching `selector`."""
    return page.eval_on_selector_all(selector, """cells => cells.map(c => {
        const width = c.getBoundingClientRect().width;
        return [c.textContent.trim(), width, width / parseFloat(getComputedStyle(c).fontSize)];
    })""")


def test_catalogue_item_columns_are_readable_at_1280(page, site):
    page.goto(f"/xxgk/catalogue/{site['domain'].slug}/{site['gongan'].pk}/")
    cells = column_widths(page, ".catalogue-table th.top-item, .catalogue-table td[data-label='二级事项']")
    assert len(cells) >= 5
    narrow = [(text, round(em, 1)) for text, _, em in cells if em < 6]
    assert not narrow


def test_overview_unit_column_is_readable_at_1280(page, site):
    login(page, "county_reviewer")
    page.goto("/xxgk/catalogue/overview/")
    cells = column_widths(page, ".overview-table tbody th[scope='row']")
    assert len(cells) >= 5
    narrow = [(text, round(em, 1)) for text, _, em in cells if em < 6]
    assert not narrow
    # Every name on one or two lines, not one character a line.
    heights = page.eval_on_selector_all(".overview-table tbody th[scope='row']", """cells => cells.map(c =>
        c.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight))""")
    assert max(heights) < 3.5


def test_catalogue_table_is_cards_on_a_phone(phone, site):
    phone.goto(f"/xxgk/catalogue/{site['domain'].slug}/{site['gongan'].pk}/")
    assert phone.eval_on_selector(".catalogue-table tbody tr", "r => getComputedStyle(r).display") == "block"


def test_no_sideways_scrolling_at_360_in_large_text(phone, site):
    phone.goto("/")
    phone.get_by_role("button", name="大字版").click()
    urls = [
        "/xxgk/", "/xxgk/documents/", f"/xxgk/documents/{site['document'].pk}/",
        f"/xxgk/catalogue/{site['domain'].slug}/{site['gongan'].pk}/", "/xxgk/catalogue/",
        f"/xxgk/org/{site['gongan'].pk}/", f"/xxgk/org/{site['town'].pk}/", f"/xxgk/org/{site['village'].pk}/",
        "/xxgk/normative/", "/xxgk/guide/", "/search/?q=户籍",
    ]
    wide = {}
    for url in urls:
        assert phone.goto(url).ok, url
        assert phone.evaluate("document.documentElement.classList.contains('large-text')"), url
        # A mobile browser widens its layout viewport to fit content that sticks out, so compare with 360 too.
        scroll_width, inner_width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width or inner_width > 360:
            wide[url] = (scroll_width, inner_width)
    assert not wide
