"""The public document lists' table rows and filter form, made for speed: these pages are rendered
for every later page (after=) and every search by words, and through the template engine 20 rows
cost more than all the rest of the page."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from portal import cache

register = template.Library()

ROW = (
    '\n    <tr>\n      <td data-label="标题"><a href="{}">{}</a></td>\n      <td data-label="发布机构">{}</td>\n'
    '      <td data-label="文号">{}</td>\n{}      <td data-label="发布日期" class="nowrap">{}</td>\n    </tr>'
)
VALIDITY_CELL = '      <td data-label="有效性" class="nowrap validity-{}">{}</td>\n'


@register.simple_tag
def document_table_rows(rows, show_validity=False):
    """The <tr>s of a page of selectors.table_page() rows, as the template once wrote them."""
    return format_html_join("", ROW, (
        (
            row["url"], row["title"], row["organisation_name"], row["document_number"] or "—",
            format_html(VALIDITY_CELL, row["validity"], row["validity_display"]) if show_validity else "",
            row["publish_date"].isoformat(),
        )
        for row in rows
    ))


@register.simple_tag
def filter_form(filterset, fields):
    """_filter_form.html. A list without filters (page 1 or a later page) has the same blank form for
    everyone, made from organisations, topics and domains (whose changes bump the public generation):
    that one is rendered once per generation."""

    def render():
        return mark_safe(render_to_string("disclosure/_filter_form.html", {"filterset": filterset, "fields": fields}))

    if filterset.is_bound:
        return render()
    return cache.rendered_once(("filter-form", type(filterset).__name__, fields), render)
