"""Catalogues as the Excel tables counties use: a title row, two header rows, one row per 二级事项,
一级事项 merged down, √ in the check columns, channels as "■政府网站 □政府公报 …"."""

import io
import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from portal.archives import MB, ArchiveRefused, open_archive, read_entries

from portal.text import clean_text as clean_typed_text
from portal.text import set_text_cell as _set

from .models import Audience, Channel, Method
from .selectors import rows_by_top_item

MAX_UPLOAD_BYTES = 10 * MB
TOO_LARGE = f"文件超过{MAX_UPLOAD_BYTES // MB}MB，请删除无关的工作表或图片后再导入"
DAMAGED = "文件已损坏或不是有效的Excel文件"
# A catalogue is a few hundred rows of 14 columns. Beyond these bounds a sheet is not a catalogue, and
# openpyxl would build a cell object for every cell of a huge merge or hyperlink range (A1:XFD1048576 is
# 17 billion), so the bounds are checked on the sheet XML before openpyxl loads it.
MAX_ROWS = 5000
MAX_COLUMNS = 50
MAX_RANGE_CELLS = MAX_ROWS * MAX_COLUMNS
EXCEL_ROWS, EXCEL_COLUMNS = 1048576, 16384
CHECK = "√"

# (key, column title as printed, sub-title) in the order of the national tables.
COLUMNS = [
    ("sequence", "序号", ""),
    ("top_name", "公开事项", "一级事项"),
    ("sub_name", "公开事项", "二级事项"),
    ("content", "公开内容（要素）", ""),
    ("basis", "公开依据", ""),
    ("deadline", "公开时限", ""),
    ("owner", "公开主体", ""),
    ("channels", "公开渠道和载体", ""),
    ("audience_public", "公开对象", "全社会"),
    ("audience_specific", "公开对象", "特定群体"),
    ("method_proactive", "公开方式", "主动"),
    ("method_on_request", "公开方式", "依申请"),
    ("level_county", "公开层级", "县级"),
    ("level_township", "公开层级", "乡级"),
]
COLUMN_LABELS = {key: (f"{title}-{sub}" if sub and title != "公开事项" else (sub or title)) for key, title, sub in COLUMNS}
TEXT_ELEMENTS = ("content", "basis", "deadline", "owner")
WIDTHS = {"sequence": 6, "top_name": 14, "sub_name": 16, "content": 30, "basis": 30, "deadline": 18, "owner": 14, "channels": 26}


def normalise(text):
    """Full-width to half-width, no white space: how header texts and channel names are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


def clean_text(value):
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


CHANNEL_ALIASES = {normalise(label): value for value, label in Channel.choices}
CHANNEL_ALIASES.update({
    normalise("政务新媒体"): Channel.NEW_MEDIA,
    normalise("村(居)公示栏"): Channel.NOTICE_BOARD,
    normalise("村（居）公示栏"): Channel.NOTICE_BOARD,
    normalise("政务公开栏"): Channel.NOTICE_BOARD,
    normalise("社区/企事业单位/村公示栏"): Channel.NOTICE_BOARD,
})
# What local tables print instead of the national sub-headers (compared after normalise()).
SUB_HEADER_ALIASES = {
    "特定群众": "特定群体", "依申请公开": "依申请", "主动公开": "主动",
    "县(市、区)级": "县级", "县(市、区)": "县级", "县区级": "县级", "县": "县级",
    "乡镇级": "乡级", "乡(镇)级": "乡级", "乡(镇、街道)级": "乡级", "乡镇(街道)级": "乡级", "乡镇(街道)": "乡级",
    "镇街级": "乡级", "乡": "乡级",
}
CHOSEN_MARKS = "■☑√✓✔"
BOX_MARKS = CHOSEN_MARKS + "□☐"
UNCHECKED = {"", "□", "☐", "×", "✗", "否", "0", "n", "no", "false", "-", "—", "/"}


# ---------------------------------------------------------------- export


SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def export_catalogue(catalogue):
    """The catalogue as .xlsx bytes."""
    wb = Workbook()
    _write_sheet(wb.active, catalogue.domain.name, catalogue.title, [(None, rows_by_top_item(catalogue))])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_county(catalogues, *, county_name):
    """Every published catalogue of the county as one .xlsx for the city's collectors: a sheet per
    domain in the national layout, each organisation's items under a row with its name. `catalogues`
    comes with domain and organisation selected; their items are read in one query."""
    from .models import CatalogueItem

    catalogues = list(catalogues)
    items = {}
    for item in CatalogueItem.objects.filter(catalogue__in=catalogues).order_by("tree_id", "lft"):
        items.setdefault(item.catalogue_id, []).append(item)
    by_domain = {}
    for catalogue in catalogues:
        by_domain.setdefault(catalogue.domain, []).append(catalogue)
    wb = Workbook()
    wb.remove(wb.active)
    for domain, members in sorted(by_domain.items(), key=lambda pair: pair[0].order):
        sections = [
            (f"{c.organisation.name}（第{c.version}版）", rows_by_top_item(c, items.get(c.pk, []))) for c in members
        ]
        _write_sheet(wb.create_sheet(), domain.name, f"{county_name}{domain.name}领域基层政务公开标准目录（汇总）", sections)
    if not wb.worksheets:
        wb.create_sheet("目录")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_sheet(ws, sheet_name, title, sections):
    """The national layout: a title, the two header rows, then the rows of each section, the 一级事项
    cell merged over its 二级事项. A section with a heading (the county workbook's organisations)
    starts with that heading across the table."""
    ws.title = SHEET_TITLE_FORBIDDEN.sub("", clean_typed_text(sheet_name))[:31] or "目录"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="center", wrap_text=True)
    last = get_column_letter(len(COLUMNS))

    ws.append([None] * len(COLUMNS))
    _set(ws["A1"], title)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = centre
    ws.append([title for _, title, _ in COLUMNS])
    ws.append([sub for _, _, sub in COLUMNS])
    for col, (key, title, sub) in enumerate(COLUMNS, start=1):
        if not sub:
            ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS.get(key, 8)
    for start, end in ((2, 3), (9, 10), (11, 12), (13, 14)):
        ws.merge_cells(start_row=2, start_column=start, end_row=2, end_column=end)

    headings = set()
    for heading, groups in sections:
        if heading:
            ws.append([None] * len(COLUMNS))
            _set(ws.cell(ws.max_row, 1), heading)
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(COLUMNS))
            headings.add(ws.max_row)
        for top, rows in groups:
            first_row = ws.max_row + 1
            for item in rows:
                # Blanks first, then cell by cell: ws.append() refuses control characters and makes
                # "=…" a formula.
                ws.append([None] * len(COLUMNS))
                for cell, value in zip(ws[ws.max_row], _export_row(item.row_number, top, item)):
                    _set(cell, value)
            if len(rows) > 1:
                ws.merge_cells(start_row=first_row, start_column=2, end_row=ws.max_row, end_column=2)

    for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=len(COLUMNS)):
        for cell in row:
            cell.border = border
            heading = cell.row in headings
            cell.alignment = wrap if heading else (
                centre if cell.row <= 3 or cell.column in (1, 2, 3) or cell.column > 8 else wrap
            )
            if cell.row <= 3 or heading:
                cell.font = Font(bold=True)
    ws.freeze_panes = "A4"


def _export_row(sequence, top, item):
    mark = lambda on: CHECK if on else None  # noqa: E731
    channels = " ".join(("■" if value in item.channels else "□") + label for value, label in Channel.choices)
    return [
        sequence,
        top.name,
        item.name if item is not top else None,
        item.content,
        item.basis,
        item.deadline,
        item.owner,
        channels,
        mark(item.audience == Audience.PUBLIC),
        mark(item.audience == Audience.SPECIFIC),
        mark(item.method == Method.PROACTIVE),
        mark(item.method == Method.ON_REQUEST),
        mark(item.level_county),
        mark(item.level_township),
    ]


# ---------------------------------------------------------------- import


@dataclass
class ImportProblem:
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = f"第{self.row}行" if self.row else "表格"
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}"


@dataclass
class ParsedItem:
    name: str
    row: int
    elements: dict = field(default_factory=dict)
    children: list = field(default_factory=list)


@dataclass
class ParsedCatalogue:
    title: str = ""
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def item_count(self):
        return sum(1 + len(item.children) for item in self.items)


class ExcelRefused(Exception):
    """The upload is not something we read at all (not .xlsx, damaged, too large or too big a sheet)."""


def check_upload_size(size):
    if size > MAX_UPLOAD_BYTES:
        raise ExcelRefused(TOO_LARGE)


def read_workbook(data):
    check_upload_size(len(data))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ExcelRefused("这是旧版 .xls 文件，请在Excel或WPS中另存为 .xlsx 格式后再导入")
    try:
        _check_sheet_bounds(data)
        workbook = load_workbook(io.BytesIO(data), data_only=True)
        if not workbook.worksheets:
            raise ExcelRefused(DAMAGED)
        return workbook
    except ExcelRefused:
        raise
    except ArchiveRefused as exc:
        raise ExcelRefused(f"文件{exc}") from None
    except Exception:  # openpyxl raises anything from KeyError to XML syntax errors on a damaged workbook
        raise ExcelRefused(DAMAGED) from None


def _check_sheet_bounds(data):
    """Refuse a workbook whose sheets reach beyond MAX_ROWS × MAX_COLUMNS, read from the XML without
    building cells; the zip's declared sizes are checked first and enforced while reading."""
    with open_archive(data) as archive:
        for info, content in read_entries(archive):
            if info.filename.lower().endswith(".xml"):
                _check_worksheet_xml(content)


def _check_worksheet_xml(content):
    range_cells = 0
    row_number = column = 0
    events = etree.iterparse(io.BytesIO(content), events=("start", "end"), resolve_entities=False, no_network=True)
    for event, element in events:
        local = etree.QName(element).localname
        if event == "start":
            if element.getparent() is None and local != "worksheet":
                return  # another part: styles, shared strings, a chart
            if local == "row":
                # openpyxl's rule for rows and cells without a reference: the next one.
                row_number = int(element.get("r") or row_number + 1)
                column = 0
            elif local == "c":
                reference = element.get("r")
                if reference:
                    letters, row_number = coordinate_from_string(reference)
                    column = column_index_from_string(letters)
                else:
                    column += 1
                _check_cell(row_number, column)
            elif local in ("mergeCell", "hyperlink") and element.get("ref"):
                # "A:A" and "1:1" are whole columns and rows: openpyxl leaves their open ends as None.
                min_column, min_row, max_column, max_row = range_boundaries(element.get("ref"))
                min_column, min_row = min_column or 1, min_row or 1
                max_column, max_row = max_column or EXCEL_COLUMNS, max_row or EXCEL_ROWS
                _check_cell(max_row, max_column)
                range_cells += (max_row - min_row + 1) * (max_column - min_column + 1)
                if range_cells > MAX_RANGE_CELLS:
                    raise ExcelRefused(_too_big_a_sheet(element.get("ref")))
        elif local in ("row", "mergeCell", "hyperlink"):
            element.clear()  # keep memory flat on a long sheet


def _check_cell(row, column):
    if row > MAX_ROWS or column > MAX_COLUMNS:
        raise ExcelRefused(_too_big_a_sheet(f"{get_column_letter(min(column, EXCEL_COLUMNS))}{row}"))


def _too_big_a_sheet(where):
    return (f"工作表超出标准目录的范围（{where}）：目录表格最多{MAX_ROWS}行、{MAX_COLUMNS}列。"
            "请删除表格之外多余的行、列、合并单元格或超链接后再导入")


def parse_catalogue(data, *, domain):
    """Read a catalogue table. Raises ExcelRefused for files we cannot read at all; otherwise returns
    a ParsedCatalogue whose `problems` lists every row and column that is wrong."""
    ws = read_workbook(data).worksheets[0]
    result = ParsedCatalogue()
    grid = _grid_with_merges_filled(ws)
    header_row = next(
        (r for r in range(min(len(grid), 15)) if any(normalise(v) in ("序号", "公开事项") for v in grid[r])), None
    )
    if header_row is None or header_row + 1 >= len(grid):
        result.problems.append(ImportProblem(None, "", "未找到表头（应有“序号”“公开事项”等列），请使用标准目录模板"))
        return result
    title_row = None
    for r in range(header_row):
        title = clean_text(next((v for v in grid[r] if v), ""))
        if title:
            result.title, title_row = title, r + 1
    if result.title and "领域" in result.title and normalise(domain.name) not in normalise(result.title):
        result.problems.append(
            ImportProblem(title_row, "标题", f"表格标题“{result.title}”与所选领域“{domain.name}”不一致")
        )
    # Most tables have a second header row (一级事项, 全社会, 主动, 县级 …); some put those words in the
    # first and only header row.
    two_rows = _is_sub_header(grid[header_row + 1])
    columns = _map_columns(grid[header_row], grid[header_row + 1] if two_rows else grid[header_row])
    missing = [COLUMN_LABELS[key] for key, _, _ in COLUMNS if key != "sequence" and key not in columns]
    if missing:
        result.problems.append(ImportProblem(header_row + 1, "", f"缺少列：{'、'.join(missing)}"))
        return result

    tops = {}
    for index in range(header_row + (2 if two_rows else 1), len(grid)):
        values = {key: grid[index][col] if col < len(grid[index]) else None for key, col in columns.items()}
        if all(clean_text(values[key]) == "" for key in columns if key != "sequence"):
            continue
        _parse_row(index + 1, values, tops, result)
    result.items = list(tops.values())
    for top in result.items:
        if top.children and top.elements.get("_own_row"):
            result.problems.append(ImportProblem(top.row, "二级事项", f"一级事项“{top.name}”已有二级事项，不能再单独成行"))
        top.elements.pop("_own_row", None)
    if not result.items and not result.problems:
        result.problems.append(ImportProblem(None, "", "表格中没有任何公开事项"))
    return result


def _grid_with_merges_filled(ws):
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(grid) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                grid[r][c] = value
    return grid


SUB_HEADERS = {normalise(sub): key for key, _, sub in COLUMNS if sub}


def _is_sub_header(row):
    return any(SUB_HEADER_ALIASES.get(normalise(v), normalise(v)) in SUB_HEADERS for v in row if v)


def _map_columns(titles, subtitles):
    wanted = {}
    for key, title, sub in COLUMNS:
        wanted[(normalise(title), normalise(sub))] = key
    columns = {}
    previous_title = ""
    for col, (title, sub) in enumerate(zip(titles, subtitles)):
        title, sub = normalise(title), normalise(sub)
        if not title and sub:  # a group title written once, not merged across its sub-columns
            title = previous_title
        previous_title = title
        if title == sub:  # a single-row header merged down over both rows
            sub = ""
        title = {"公开内容": "公开内容(要素)", "公开渠道": "公开渠道和载体", "公开渠道及载体": "公开渠道和载体"}.get(title, title)
        sub = SUB_HEADER_ALIASES.get(sub, sub)
        key = wanted.get((title, sub))
        if key is None and not sub:  # one header row: the sub-header word stands alone
            key = SUB_HEADERS.get(SUB_HEADER_ALIASES.get(title, title))
        if key and key not in columns:
            columns[key] = col
    return columns


def _is_checked(value):
    return normalise(value).lower() not in UNCHECKED


def parse_channels(value):
    """Channel values from "■政府网站 □两微一端 …" or a plain list "政府网站、政务服务中心"; raises
    ValueError naming the first unknown channel."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    if any(mark in text for mark in BOX_MARKS):
        pairs = re.findall(rf"([{BOX_MARKS}])([^{BOX_MARKS}]+)", text)
        names = [name for mark, name in pairs if mark in CHOSEN_MARKS]
    else:
        names = re.split(r"[、,，;；\s]+", text)
    chosen = []
    for name in names:
        key = normalise(name).strip("、,，;；")
        if not key:
            continue
        if key not in CHANNEL_ALIASES:
            raise ValueError(name.strip())
        if CHANNEL_ALIASES[key] not in chosen:
            chosen.append(CHANNEL_ALIASES[key])
    return [value for value in Channel.values if value in chosen]


def _one_of(row, values, checks, group, result):
    chosen = [value for key, value in checks if _is_checked(values[key])]
    names = "”或“".join(COLUMN_LABELS[key].split("-")[1] for key, _ in checks)
    if len(chosen) != 1:
        message = f"请在“{names}”中勾选一项" if not chosen else f"“{names}”只能勾选一项"
        result.problems.append(ImportProblem(row, group, message))
        return ""
    return chosen[0]


def _parse_row(row, values, tops, result):
    top_name, sub_name = clean_text(values["top_name"]), clean_text(values["sub_name"])
    if not top_name:
        result.problems.append(ImportProblem(row, "一级事项", f"二级事项“{sub_name}”没有所属的一级事项"))
        return
    elements = {}
    for key in TEXT_ELEMENTS:
        elements[key] = clean_text(values[key])
        if not elements[key]:
            result.problems.append(ImportProblem(row, COLUMN_LABELS[key], "不能为空"))
    try:
        elements["channels"] = parse_channels(values["channels"])
        if not elements["channels"]:
            result.problems.append(ImportProblem(row, "公开渠道和载体", "请至少选择一个公开渠道"))
    except ValueError as exc:
        result.problems.append(
            ImportProblem(row, "公开渠道和载体", f"未知的公开渠道“{exc}”，可选：{'、'.join(Channel.labels)}")
        )
    elements["audience"] = _one_of(
        row, values, [("audience_public", Audience.PUBLIC), ("audience_specific", Audience.SPECIFIC)], "公开对象", result
    )
    elements["method"] = _one_of(
        row, values, [("method_proactive", Method.PROACTIVE), ("method_on_request", Method.ON_REQUEST)], "公开方式", result
    )
    elements["level_county"] = _is_checked(values["level_county"])
    elements["level_township"] = _is_checked(values["level_township"])
    if not (elements["level_county"] or elements["level_township"]):
        result.problems.append(ImportProblem(row, "公开层级", "请至少勾选“县级”或“乡级”之一"))

    top = tops.setdefault(top_name, ParsedItem(name=top_name, row=row))
    if not sub_name:
        top.elements = {**elements, "_own_row": True}
        return
    if any(child.name == sub_name for child in top.children):
        result.problems.append(ImportProblem(row, "二级事项", f"一级事项“{top_name}”下已有同名二级事项“{sub_name}”"))
        return
    top.children.append(ParsedItem(name=sub_name, row=row, elements=elements))
