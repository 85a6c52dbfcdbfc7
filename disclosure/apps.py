from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "政府信息发布"

    def ready(self):
        from portal import todo

        from . import todo as app_todo

        todo.register(app_todo.sections)
