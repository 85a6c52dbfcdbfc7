"""Receivers of other apps' signals, connected in DisclosureConfig.ready()."""

from . import workflow


def recompute_publish_by(sender, **kwargs):
    """portal.signals.calendar_changed: the 公开时限 of 条例第二十六条 is counted on the calendar."""
    changed = workflow.recompute_publish_by()
    return f"已重新计算未发布政府信息的公开时限：{changed}件有变化"
