from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = "依申请公开"

    def ready(self):
        from portal import todo

        from . import todo as app_todo

        todo.register(app_todo.sections)
