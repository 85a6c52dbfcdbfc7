"""Lists of public documents for pages owned by apps that cannot import this one (the catalogue item
page, the home page)."""

from django import template

from ..selectors import documents_for_item, public_listing

register = template.Library()


@register.inclusion_tag("disclosure/_document_rows.html")
def item_documents(item, children=(), limit=50):
    """An item's public documents; a 一级事项's include those filed under its 二级事项 `children`."""
    return {
        "documents": list(documents_for_item(item, children, limit)), "empty": "暂无本事项下公开的政府信息。",
        "show_item": bool(children),
    }


@register.inclusion_tag("disclosure/_document_rows.html")
def latest_documents(limit=8):
    return {"documents": list(public_listing()[:limit]), "empty": "暂无公开的政府信息。"}
