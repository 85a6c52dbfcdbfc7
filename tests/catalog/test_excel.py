import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from catalog import workflow
from catalog.excel import ExcelRefused, export_catalogue, parse_catalogue, parse_channels
from catalog.models import Catalogue, ReviewStep

HEADERS = [
    ["序号", "公开事项", None, "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
     "公开对象", None, "公开方式", None, "公开层级", None],
    [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请", "县级", "乡级"],
]
GOOD_ROW = ["《中华人民共和国户口登记条例》", "信息形成或变更之日起20个工作日内", "县级公安机关"]


def workbook_bytes(rows, *, title="户籍管理领域基层政务公开标准目录", headers=HEADERS, merges=()):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    for row in headers + rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(n, top, sub, channels="政府网站、政务服务中心", content="办理条件、申请材料", marks=("√", "", "√", "", "√", "")):
    return [n, top, sub, content, *GOOD_ROW, channels, *marks]


def tree_of(catalogue):
    return [
        (i.parent.name if i.parent else None, i.name, *(getattr(i, f) for f in ("content", "basis", "deadline", "owner", "channels", "audience", "method", "level_county", "level_township")))
        for i in catalogue.items.select_related("parent").order_by("tree_id", "lft")
    ]


def test_export_then_import_gives_the_same_tree_and_elements(published, domain, gongan, gongan_clerk):
    data = export_catalogue(published)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "户籍管理领域基层政务公开标准目录"
    assert ws["H4"].value.startswith("■政府网站 □政府公报")
    assert any(str(r) == "B4:B5" for r in ws.merged_cells.ranges)  # 户口登记 merged over its two rows

    parsed = parse_catalogue(data, domain=domain)
    assert parsed.problems == []
    draft = workflow.import_items(gongan, domain, parsed, by=gongan_clerk, filename="export.xlsx")

    assert draft.version == 2 and draft.state == Catalogue.State.DRAFT
    assert tree_of(draft) == tree_of(published)
    # Same names keep the items' identity, so the reviewer sees no change at all.
    assert set(draft.items.values_list("key", flat=True)) == set(published.items.values_list("key", flat=True))
    assert draft.steps.filter(action=ReviewStep.Action.IMPORT).exists()


def test_real_world_layouts_are_accepted(domain, gongan, gongan_clerk):
    rows = [
        row(1, "户口登记", "出生登记", channels="■政府网站 □政府公报 ■两微一端 □发布会/听证会 ■社区/企事业单位/村公示栏（电子屏）"),
        row(2, None, "死亡注销", channels="政府网站，政务新媒体；村(居)公示栏", marks=("✓", None, "是", None, "√", "√")),
        row(3, " 户口迁移 ", " 迁入登记 ", channels="政务公开栏 政务服务中心", content="  办理依据　申请材料  "),
    ]
    data = workbook_bytes(rows, merges=["B4:B5"])
    parsed = parse_catalogue(data, domain=domain)
    assert parsed.problems == []
    draft = workflow.import_items(gongan, domain, parsed, by=gongan_clerk)

    birth = draft.items.get(name="出生登记")
    assert birth.channels == ["website", "new_media", "notice_board"]
    death = draft.items.get(name="死亡注销")
    assert death.parent.name == "户口登记"
    assert death.channels == ["website", "new_media", "notice_board"]
    assert (death.level_county, death.level_township) == (True, True)
    move_in = draft.items.get(name="迁入登记")
    assert move_in.parent.name == "户口迁移"
    assert move_in.content == "办理依据　申请材料"
    assert move_in.channels == ["service_centre", "notice_board"]


def test_channels_parse_both_ways_of_writing():
    assert parse_channels("■政府网站 □政府公报 ■精准推送") == ["website", "targeted_push"]
    assert parse_channels("政府网站、发布会/听证会") == ["website", "press_conference"]
    with pytest.raises(ValueError, match="微博"):
        parse_channels("政府网站、微博")


def problems_of(data, domain):
    return [str(p) for p in parse_catalogue(data, domain=domain).problems]


def test_missing_columns_are_named(domain):
    headers = [h[:4] + h[5:] for h in HEADERS]  # no 公开依据
    rows = [r[:4] + r[5:] for r in [row(1, "户口登记", "出生登记")]]
    assert problems_of(workbook_bytes(rows, headers=headers), domain) == ["第2行：缺少列：公开依据"]


def test_second_level_item_without_its_first_level_item(domain):
    assert problems_of(workbook_bytes([row(1, None, "出生登记")]), domain) == [
        "第4行「一级事项」：二级事项“出生登记”没有所属的一级事项"
    ]


def test_unknown_channel_is_refused_with_row_and_column(domain):
    problems = problems_of(workbook_bytes([row(1, "户口登记", "出生登记", channels="政府网站、抖音号")]), domain)
    assert len(problems) == 1
    assert problems[0].startswith("第4行「公开渠道和载体」：未知的公开渠道“抖音号”")


def test_every_empty_required_element_is_reported(domain):
    rows = [
        row(1, "户口登记", "出生登记", content=""),
        row(2, "户口登记", "死亡注销", marks=("", "", "√", "√", "", "")),
    ]
    assert problems_of(workbook_bytes(rows), domain) == [
        "第4行「公开内容（要素）」：不能为空",
        "第5行「公开对象」：请在“全社会”或“特定群体”中勾选一项",
        "第5行「公开方式」：“主动”或“依申请”只能勾选一项",
        "第5行「公开层级」：请至少勾选“县级”或“乡级”之一",
    ]


def test_title_naming_another_domain_is_refused(domain):
    data = workbook_bytes([row(1, "户口登记", "出生登记")], title="社会救助领域基层政务公开标准目录")
    assert problems_of(data, domain) == ["第1行「标题」：表格标题“社会救助领域基层政务公开标准目录”与所选领域“户籍管理”不一致"]


def test_a_file_that_is_not_excel_or_too_large_is_refused(domain):
    with pytest.raises(ExcelRefused, match="不是有效的Excel"):
        parse_catalogue(b"%PDF-1.7 not a spreadsheet", domain=domain)
    with pytest.raises(ExcelRefused, match=r"\.xls"):
        parse_catalogue(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, domain=domain)
    with pytest.raises(ExcelRefused, match="10MB"):
        parse_catalogue(b"PK" + b"\0" * (10 * 1024 * 1024), domain=domain)


def test_nothing_is_imported_when_any_row_is_wrong(published, domain, gongan, gongan_clerk):
    data = workbook_bytes([row(1, "户口登记", "出生登记"), row(2, None, "死亡注销")])
    parsed = parse_catalogue(data, domain=domain)
    with pytest.raises(workflow.WorkflowError):
        workflow.import_items(gongan, domain, parsed, by=gongan_clerk)
    assert Catalogue.objects.filter(organisation=gongan).count() == 1


def test_import_into_a_version_under_review_is_refused(published, domain, gongan, gongan_clerk):
    draft = workflow.start_revision(published, by=gongan_clerk)
    workflow.submit(draft, by=gongan_clerk)
    parsed = parse_catalogue(export_catalogue(published), domain=domain)
    with pytest.raises(workflow.WorkflowError, match="正在审核中"):
        workflow.import_items(gongan, domain, parsed, by=gongan_clerk)


def test_import_command_creates_then_replaces_the_draft(tmp_path, domain, gongan, superuser, capsys):
    path = tmp_path / "户籍.xlsx"
    path.write_bytes(workbook_bytes([row(1, "户口登记", "出生登记"), row(2, "户口登记", "死亡注销")]))
    call_command("import_catalogue", str(path), "--organisation", "青禾县公安局", "--domain", "户籍管理")
    out = capsys.readouterr().out
    assert "一级事项 1 个，二级事项 2 个" in out and "出生登记、死亡注销" in out

    path.write_bytes(workbook_bytes([row(1, "户口迁移", "迁入登记")]))
    call_command("import_catalogue", str(path), "--organisation", "县公安局", "--domain", "户籍管理")
    draft = Catalogue.objects.get(organisation=gongan, domain=domain)
    assert list(draft.items.values_list("name", flat=True).order_by("tree_id", "lft")) == ["户口迁移", "迁入登记"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--organisation", "青禾县公安局", "--domain", "火星管理"], "未知领域：火星管理"),
        (["--organisation", "不存在的局", "--domain", "户籍管理"], "未知单位：不存在的局"),
    ],
)
def test_import_command_refuses_unknown_names(tmp_path, domain, gongan, superuser, args, message):
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook_bytes([row(1, "户口登记", "出生登记")]))
    with pytest.raises(CommandError, match=message):
        call_command("import_catalogue", str(path), *args)


def test_import_command_prints_every_problem_and_imports_nothing(tmp_path, domain, gongan, superuser, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook_bytes([row(1, None, "出生登记"), row(2, "户口登记", "死亡注销", channels="飞鸽传书")]))
    with pytest.raises(CommandError, match="共 2 处错误，未导入任何内容"):
        call_command("import_catalogue", str(path), "--organisation", "青禾县公安局", "--domain", "户籍管理")
    err = capsys.readouterr().err
    assert "第4行「一级事项」" in err and "第5行「公开渠道和载体」" in err
    assert not Catalogue.objects.filter(organisation=gongan).exists()


def test_import_command_help_is_bilingual():
    result = subprocess.run(
        [sys.executable, "manage.py", "import_catalogue", "--help"], cwd=settings.BASE_DIR,
        capture_output=True, text=True, env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "VAR_DIR": "/tmp/portal-help-test"},
    )
    assert result.returncode == 0
    assert "导入" in result.stdout and "Import an .xlsx catalogue" in result.stdout


def test_local_sub_header_wording_is_understood(domain):
    headers = [list(HEADERS[0]), list(HEADERS[1])]
    headers[1][9], headers[1][11], headers[1][12], headers[1][13] = "特定群众", "依申请公开", "县（市、区）级", "乡镇（街道）级"
    parsed = parse_catalogue(workbook_bytes([row(1, "户口登记", "出生登记", marks=("", "√", "", "√", "√", "√"))], headers=headers), domain=domain)
    assert parsed.problems == []
    elements = parsed.items[0].children[0].elements
    assert (elements["audience"], elements["method"]) == ("specific", "on_request")
    assert elements["level_county"] and elements["level_township"]


def test_a_single_header_row_is_understood(domain):
    header = [["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
               "全社会", "特定群体", "主动", "依申请", "县级", "乡级"]]
    parsed = parse_catalogue(workbook_bytes([row(1, "户口登记", "出生登记"), row(2, "户口登记", "死亡注销")], headers=header), domain=domain)
    assert parsed.problems == []
    assert [child.name for child in parsed.items[0].children] == ["出生登记", "死亡注销"]
    assert parsed.items[0].children[0].row == 3
