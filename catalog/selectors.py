"""Read queries shared by the public pages, the admin and the Excel export."""


def rows_by_top_item(catalogue):
    """[(一级事项, [rows that carry elements])]: its 二级事项, or itself when it has none."""
    items = list(catalogue.items.order_by("tree_id", "lft"))
    children = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    return [(item, children.get(item.pk, [item])) for item in items if item.parent_id is None]
