"""The annual report as .docx and .xlsx, in the national layout (国办公开办函〔2021〕30号): the same
sections and tables as its page, the same numbers (read from reports.tables)."""

import io

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from portal.official_docx import BODY_FONT, BODY_SIZE, HEADING_FONT, HEADING_SIZE, add_paragraph, official_page, set_font

from .reports import table_three_layout, tables

SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
APPLICANT_HEADER = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
REVIEW_HEADER = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def table_two_grid(report_tables):
    """Table 二 as rows of cells: (text, colspan) pairs, the national table's four columns wide."""
    grid = [[("第二十条第（一）项", 4)], [("信息内容", 1), ("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)]]
    grid += [[(label, 1), (issued, 1), (repealed, 1), (in_force, 1)] for label, issued, repealed, in_force in report_tables.normative_rows]
    licensing, penalty, enforcement = report_tables.decisions
    for article, rows in (("第二十条第（五）项", [licensing]), ("第二十条第（六）项", [penalty, enforcement])):
        grid += [[(article, 4)], [("信息内容", 1), ("本年处理决定数量", 3)]]
        grid += [[(label, 1), (count, 3)] for label, count in rows]
    grid += [[("第二十条第（八）项", 4)], [("信息内容", 1), ("本年收费金额（单位：万元）", 3)],
             [("行政事业性收费", 1), (report_tables.fees_amount, 3)]]
    return grid


def _text(value):
    if hasattr(value, "normalize"):  # a Decimal: 12.5000 is written 12.5
        value = value.normalize()
        return format(value, "f")
    return str(value)


def _paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()] or ["无。"]


# --- .docx ---------------------------------------------------------------------------------------

def _cell_text(cell, text, *, bold=False, size=Pt(10.5)):
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(_text(text))
    run.font.size, run.font.bold = size, bold
    set_font(run.font, run._element, "宋体")


def _docx_table(document, grid_rows, columns):
    """grid_rows: [[(text, rowspan, colspan), ...]]; cells placed left to right, skipping what a span above covers."""
    table = document.add_table(rows=len(grid_rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    taken = set()
    for r, row in enumerate(grid_rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            cell = table.cell(r, c)
            if rowspan > 1 or colspan > 1:
                cell = cell.merge(table.cell(r + rowspan - 1, c + colspan - 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            _cell_text(cell, text)
            c += colspan
    return table


def _table_three_grid(report_tables):
    header = [
        [(IDENTITY_NOTE, 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(label, 1, 1) for label in APPLICANT_HEADER[1:6]],
    ]
    body = [[(cell.text, cell.rowspan, cell.colspan) for cell in labels] + [(count, 1, 1) for count in counts]
            for labels, counts in table_three_layout(report_tables.table_three)]
    return header + body


def _table_four_grid(report_tables):
    return [
        [("行政复议", 2, 5), ("行政诉讼", 1, 10)],
        [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(label, 1, 1) for label in REVIEW_HEADER * 3],
        [(cell, 1, 1) for cell in report_tables.table_four],
    ]


def report_docx(report):
    report_tables = tables(report)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    official_page(section)
    normal = document.styles["Normal"]
    normal.font.size = BODY_SIZE
    set_font(normal.font, normal.element, BODY_FONT)

    def paragraph(text, *, font=BODY_FONT, size=BODY_SIZE, center=False):
        return add_paragraph(document, text, align=WD_ALIGN_PARAGRAPH.CENTER if center else None, indent=not center,
                             font=font, size=size)

    paragraph(f"{report.organisation.name}{report.year}年政府信息公开工作年度报告", font=HEADING_FONT, size=HEADING_SIZE, center=True)
    if report.corrects_id:
        paragraph(f"（第{report.version}版，更正说明：{report.correction_note}）", size=Pt(14), center=True)
    paragraph(SECTIONS[0], font=HEADING_FONT)
    for line in _paragraphs(report.overview):
        paragraph(line)
    paragraph(SECTIONS[1], font=HEADING_FONT)
    _docx_table(document, [[(text, 1, colspan) for text, colspan in row] for row in table_two_grid(report_tables)], 4)
    paragraph(SECTIONS[2], font=HEADING_FONT)
    _docx_table(document, _table_three_grid(report_tables), 10)
    paragraph(SECTIONS[3], font=HEADING_FONT)
    _docx_table(document, _table_four_grid(report_tables), 15)
    paragraph(SECTIONS[4], font=HEADING_FONT)
    for line in _paragraphs(report.problems):
        paragraph(line)
    paragraph(SECTIONS[5], font=HEADING_FONT)
    for line in _paragraphs(report.other_matters):
        paragraph(line)
    properties = document.core_properties
    properties.title = str(report)
    properties.author = properties.last_modified_by = report.organisation.name
    properties.created = properties.modified = report.published_at or timezone.now()
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


# --- .xlsx ---------------------------------------------------------------------------------------

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _xlsx_table(sheet, grid_rows, columns, *, first_row=2):
    taken = set()
    for r, row in enumerate(grid_rows, start=first_row):
        c = 1
        for value, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            cell = sheet.cell(row=r, column=c)
            # Numbers stay numbers; text is stored as text (set data_type so that nothing becomes a formula).
            if isinstance(value, (int, float)) or hasattr(value, "normalize"):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"
            if rowspan > 1 or colspan > 1:
                sheet.merge_cells(start_row=r, start_column=c, end_row=r + rowspan - 1, end_column=c + colspan - 1)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
                    spanned = sheet.cell(row=r + dr, column=c + dc)
                    spanned.border = BORDER
                    spanned.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c += colspan
    for column in range(1, columns + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 14


def report_xlsx(report):
    report_tables = tables(report)
    workbook = Workbook()
    sheets = (
        ("表二 主动公开", SECTIONS[1], [[(text, 1, colspan) for text, colspan in row] for row in table_two_grid(report_tables)], 4),
        ("表三 依申请公开", SECTIONS[2], _table_three_grid(report_tables), 10),
        ("表四 复议诉讼", SECTIONS[3], _table_four_grid(report_tables), 15),
    )
    for index, (name, title, grid, columns) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        sheet.cell(row=1, column=1, value=f"{report}　{title}").font = Font(bold=True)
        _xlsx_table(sheet, grid, columns)
    workbook.properties.title = str(report)
    workbook.properties.creator = report.organisation.name
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
