"""领取事项: guideline items are adapted to the organisation taking them, and a bad choice is a 400."""

import pytest

from catalog import workflow
from catalog.models import Catalogue
from portal.models import Organisation, Staff
from tests.factories import make_domain, make_guideline, make_organisation, make_staff

START = "/admin/catalog/catalogue/start/"


def test_a_county_department_takes_items_as_its_own_at_county_level(guideline, domain, gongan, gongan_clerk):
    township_item = guideline.items.get(name="居民身份证申领")
    assert township_item.level_county and township_item.level_township
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    rows = catalogue.items.filter(parent__isnull=False)
    assert set(rows.values_list("owner", "level_county", "level_township")) == {("青禾县公安局", True, False)}
    # The guideline itself is untouched.
    township_item.refresh_from_db()
    assert township_item.owner == "县级公安机关" and township_item.level_township


def test_a_township_takes_items_as_its_own_at_township_level(guideline, domain, county):
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")
    clerk = make_staff("lhz_clerk", town, Staff.Role.CLERK)
    catalogue = workflow.start_catalogue(town, domain, by=clerk, guideline_items=guideline.items.all())
    rows = catalogue.items.filter(parent__isnull=False)
    assert set(rows.values_list("owner", "level_county", "level_township")) == {("柳河镇人民政府", False, True)}
    # Items still carry all their elements, so the draft can be submitted as taken.
    workflow.submit(catalogue, by=clerk)


def test_the_clerk_can_still_edit_an_adapted_item(client, guideline, domain, gongan, gongan_clerk):
    catalogue = workflow.start_catalogue(gongan, domain, by=gongan_clerk, guideline_items=guideline.items.all())
    item = catalogue.items.get(name="出生登记")
    client.force_login(gongan_clerk)
    response = client.post(f"/admin/catalog/catalogueitem/{item.pk}/change/", {
        "catalogue": catalogue.pk, "parent": item.parent_id, "name": item.name, "content": item.content,
        "basis": item.basis, "deadline": item.deadline, "owner": "青禾县公安局户政管理大队",
        "channels": item.channels, "audience": item.audience, "method": item.method,
        "level_county": "on", "level_township": "on",
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner, item.level_county, item.level_township) == ("青禾县公安局户政管理大队", True, True)


@pytest.mark.parametrize("items", [["abc"], ["1x"], ["-1"], [""]])
def test_start_with_a_non_numeric_item_is_400_and_keeps_the_choices(client, guideline, domain, gongan, gongan_clerk, items):
    birth = guideline.items.get(name="出生登记")
    client.force_login(gongan_clerk)
    response = client.post(START, {"organisation": gongan.pk, "domain": domain.pk, "items": [birth.pk, *items]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "所选事项无效" in page
    assert f'value="{birth.pk}" id="item-{birth.pk}" checked' in page
    death = guideline.items.get(name="死亡注销")
    assert f'value="{death.pk}" id="item-{death.pk}" >' in page  # not chosen, so not ticked
    assert not Catalogue.objects.filter(organisation=gongan).exists()


def test_start_with_another_domains_guideline_item_is_400(client, guideline, domain, gongan, gongan_clerk):
    other = make_guideline(make_domain(name="社会救助", slug="social-assistance", order=20))
    foreign = other.items.get(name="出生登记")
    client.force_login(gongan_clerk)
    response = client.post(START, {"organisation": gongan.pk, "domain": domain.pk, "items": [foreign.pk]})
    assert response.status_code == 400
    assert "不属于户籍管理领域的国家标准指引" in response.content.decode()
    assert not Catalogue.objects.filter(organisation=gongan).exists()


def test_start_with_nothing_chosen_is_400(client, guideline, domain, gongan, gongan_clerk):
    client.force_login(gongan_clerk)
    response = client.post(START, {"organisation": gongan.pk, "domain": domain.pk})
    assert response.status_code == 400
    assert "请至少选择一个公开事项" in response.content.decode()


def test_start_page_preselects_the_township_level_for_a_township(client, guideline, domain, county):
    town = make_organisation("柳河镇人民政府", kind=Organisation.Kind.TOWNSHIP, parent=county, short_name="柳河镇")
    clerk = make_staff("lhz_clerk", town, Staff.Role.CLERK)
    client.force_login(clerk)
    page = client.get(START, {"organisation": town.pk, "domain": domain.pk}).content.decode()
    card = guideline.items.get(name="居民身份证申领")
    birth = guideline.items.get(name="出生登记")
    assert f'value="{card.pk}" id="item-{card.pk}" checked' in page
    assert f'value="{birth.pk}" id="item-{birth.pk}" >' in page
