"""Receivers of other apps' signals, connected in RequestsAppConfig.ready()."""

from . import workflow


def recompute_due_dates(sender, *, by, **kwargs):
    """portal.signals.calendar_changed: open applications' due dates are counted on the calendar."""
    changed = workflow.recompute_due_dates(by=by)
    return f"已重新计算未办结申请的答复期限：{changed}件有变化"
