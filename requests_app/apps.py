from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = "依申请公开"

    def ready(self):
        from portal import todo
        from portal.signals import calendar_changed

        from . import signals
        from . import todo as app_todo

        todo.register(app_todo.sections)
        calendar_changed.connect(signals.recompute_due_dates, dispatch_uid="requests_app.recompute_due_dates")
