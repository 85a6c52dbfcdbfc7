from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "政府信息发布"

    def ready(self):
        from portal import todo
        from portal.signals import calendar_changed

        from . import signals
        from . import todo as app_todo

        todo.register(app_todo.sections)
        calendar_changed.connect(signals.recompute_publish_by, dispatch_uid="disclosure.recompute_publish_by")
