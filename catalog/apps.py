from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "政务公开标准目录"

    def ready(self):
        from portal import todo

        from . import todo as app_todo

        todo.register(app_todo.sections)
