"""Read queries shared by the public pages, the admin and the Excel export."""


def rows_by_top_item(catalogue, items=None):
    """[(一级事项, [rows that carry elements])]: its 二级事项, or itself when it has none. `items`, in
    tree order, when the caller read them already (the county workbook reads all catalogues' at once)."""
    items = list(catalogue.items.order_by("tree_id", "lft")) if items is None else items
    children = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    groups = [(item, children.get(item.pk, [item])) for item in items if item.parent_id is None]
    # 序号 as the national tables print it: one running number per row that carries elements.
    number = 0
    for _, rows in groups:
        for row in rows:
            number += 1
            row.row_number = number
    return groups
