"""What changed between two versions of a catalogue, for the reviewer (items matched by `key`)."""

from dataclasses import dataclass, field

from .models import Audience, CatalogueItem, Channel, Method


@dataclass
class ItemChange:
    kind: str  # "added", "removed", "changed"
    item: CatalogueItem
    parent_name: str = ""
    fields: list = field(default_factory=list)  # [(label, old, new)]

    @property
    def kind_label(self):
        return {"added": "新增", "removed": "删除", "changed": "修改"}[self.kind]


def _display(item, name):
    value = getattr(item, name)
    if name == "channels":
        return "、".join(Channel(v).label for v in value if v in Channel.values)
    if name == "audience":
        return Audience(value).label if value else ""
    if name == "method":
        return Method(value).label if value else ""
    if name in ("level_county", "level_township"):
        return "√" if value else ""
    return value




def _fields(old, new):
    changes = []
    for name in CatalogueItem.ELEMENT_FIELDS:
        before, after = _display(old, name), _display(new, name)
        if before != after:
            changes.append((CatalogueItem._meta.get_field(name).verbose_name, before, after))
    old_parent = old.parent.name if old.parent_id else ""
    new_parent = new.parent.name if new.parent_id else ""
    if old_parent != new_parent:
        changes.append(("一级事项", old_parent or "（无，本身为一级事项）", new_parent or "（无，本身为一级事项）"))
    return changes


def catalogue_changes(old, new):
    """Changes from catalogue version `old` to `new`, in `new`'s order, removed items last."""
    if old is None:
        return []
    old_items = {item.key: item for item in old.items.select_related("parent").order_by("tree_id", "lft")}
    changes = []
    seen = set()
    for item in new.items.select_related("parent").order_by("tree_id", "lft"):
        parent_name = item.parent.name if item.parent_id else ""
        before = old_items.get(item.key)
        seen.add(item.key)
        if before is None:
            changes.append(ItemChange("added", item, parent_name))
        elif fields := _fields(before, item):
            changes.append(ItemChange("changed", item, parent_name, fields))
    for key, item in old_items.items():
        if key not in seen:
            changes.append(ItemChange("removed", item, item.parent.name if item.parent_id else ""))
    return changes
