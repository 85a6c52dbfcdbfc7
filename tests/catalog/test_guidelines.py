import json

from django.conf import settings

from catalog.guidelines import load_guidelines
from catalog.models import Catalogue, Channel, Domain

PILOT_DOMAINS = (
    "国土空间规划、重大建设项目、公共资源交易、财政预决算、安全生产、税收管理、征地补偿、国有土地上房屋征收、"
    "保障性住房、农村危房改造、环境保护、公共文化服务、公共法律服务、扶贫、救灾、食品药品监管、城市综合执法、"
    "就业创业、社会保险、社会救助、养老服务、户籍管理、涉农补贴、义务教育、医疗卫生、市政服务"
).split("、")


def test_fixtures_hold_the_26_pilot_domains_in_order(db):
    assert load_guidelines() == (26, 26)
    assert list(Domain.objects.values_list("name", flat=True)) == PILOT_DOMAINS
    assert list(Domain.objects.values_list("order", flat=True)) == list(range(1, 27))


def test_loading_twice_changes_nothing(db):
    load_guidelines()
    items = Catalogue.objects.get(domain__name="户籍管理").items.count()
    assert load_guidelines() == (0, 0)
    assert Catalogue.objects.get(domain__name="户籍管理").items.count() == items


def test_every_guideline_row_is_a_complete_catalogue_entry(db):
    load_guidelines()
    for guideline in Catalogue.objects.filter(is_guideline=True).select_related("domain"):
        tops = guideline.items.filter(parent__isnull=True)
        assert tops.exists(), guideline.domain.name
        for top in tops:
            children = top.get_children()
            assert children.exists(), f"{guideline.domain.name}/{top.name} has no 二级事项"
            for item in children:
                assert item.element_errors() == {}, (guideline.domain.name, item.name, item.element_errors())


def test_the_three_complete_guidelines_carry_their_known_items(db):
    load_guidelines()
    names = lambda domain: set(  # noqa: E731
        Catalogue.objects.get(domain__name=domain, is_guideline=True).items.values_list("name", flat=True)
    )
    assert {"出生登记", "死亡注销"} <= names("户籍管理")
    assert {"最低生活保障", "特困人员救助供养", "临时救助"} <= names("社会救助")
    assert {"招生管理", "招生政策", "学籍管理"} <= names("义务教育")


def test_fixture_channels_are_the_national_list():
    for path in (settings.BASE_DIR / "fixtures" / "guidelines").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for top in data["items"]:
            for child in top["children"]:
                assert set(child["channels"]) <= set(Channel.labels), (path.name, child["name"])


def test_compulsory_education_has_the_ten_first_level_items_of_the_2019_guideline(db):
    load_guidelines()
    guideline = Catalogue.objects.get(domain__name="义务教育", is_guideline=True)
    tops = list(guideline.items.filter(parent__isnull=True).order_by("tree_id").values_list("name", flat=True))
    assert tops == ["政策文件", "教育概况", "民办学校信息", "财务信息", "招生管理", "学生管理", "教师管理",
                    "重要政策执行情况", "教育督导公开", "校园安全"]


def test_household_registration_has_7_aspects_and_18_items(db):
    # 公安部《户籍管理领域基层政务公开标准指引》: 7 aspects, 18 items.
    load_guidelines()
    guideline = Catalogue.objects.get(domain__name="户籍管理", is_guideline=True)
    assert guideline.items.filter(parent__isnull=True).count() == 7
    assert guideline.items.filter(parent__isnull=False).count() == 18
