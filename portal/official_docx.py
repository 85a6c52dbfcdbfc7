"""What every .docx the portal writes shares (letters, annual reports): the 党政机关公文 page (GB/T 9704:
A4, its margins) and Chinese fonts set where Word and WPS read them."""

from docx.oxml.ns import qn
from docx.shared import Cm


def set_font(font, element, name):
    # python-docx's font.name sets only the Latin fonts; Chinese text uses w:eastAsia.
    font.name = name
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def official_page(section):
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
