"""What every .docx the portal writes shares (letters, annual reports): the 党政机关公文 page (GB/T 9704:
A4, its margins) and Chinese fonts set where Word and WPS read them."""

from docx.oxml.ns import qn
from docx.shared import Cm, Pt


def set_font(font, element, name):
    # python-docx's font.name sets only the Latin fonts; Chinese text uses w:eastAsia.
    font.name = name
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def official_page(section):
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(16)  # 三号
HEADING_SIZE = Pt(22)  # 二号


def add_paragraph(document, text, *, align=None, indent=False, font=BODY_FONT, size=BODY_SIZE):
    """A paragraph of one run in `font` and `size`; `indent` sets the two-character first-line indent."""
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = size * 2
    run = paragraph.add_run(text)
    run.font.size = size
    set_font(run.font, run._element, font)
    return paragraph
