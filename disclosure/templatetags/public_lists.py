"""The public document lists' table rows and filter form, made for speed: these pages are rendered
for every later page (after=) and every search by words, and through the template engine 20 rows
cost more than all the rest of the page."""

import html

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal import cache

from ..filters import DocumentFilter

register = template.Library()

ROW = (
    '\n    <tr>\n      <td data-label="标题"><a href="{}">{}</a></td>\n      <td data-label="发布机构">{}</td>\n'
    '      <td data-label="文号">{}</td>\n{}      <td data-label="发布日期" class="nowrap">{}</td>\n    </tr>'
)
VALIDITY_CELL = '      <td data-label="有效性" class="nowrap validity-{}">{}</td>\n'


@register.simple_tag
def document_table_rows(rows, show_validity=False):
    """The <tr>s of a page of selectors.table_page() rows, as the template once wrote them. Escaped by
    the standard library's html.escape, which Django's escape wraps: the wrapper, per cell, was a
    third of the page's rendering."""
    escape = html.escape
    return mark_safe("".join(
        ROW.format(
            escape(row["url"]), escape(row["title"]), escape(row["organisation_name"]), escape(row["document_number"] or "—"),
            VALIDITY_CELL.format(escape(row["validity"]), escape(row["validity_display"])) if show_validity else "",
            row["publish_date"].isoformat(),
        )
        for row in rows
    ))


@register.simple_tag
def filter_form(filterset, fields):
    """_filter_form.html of a bound DocumentFilter; or, with None (a list without filters, page 1 or a
    later page), the blank form that is the same for everyone, made from organisations, topics and
    domains (whose changes bump the public generation): rendered once per generation."""

    def render(filterset):
        return mark_safe(render_to_string("disclosure/_filter_form.html", {"filterset": filterset, "fields": fields}))

    if filterset is None:
        return cache.rendered_once(("filter-form", fields), lambda: render(DocumentFilter()))
    return render(filterset)
