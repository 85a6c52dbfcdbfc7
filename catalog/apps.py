from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "政务公开标准目录"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal import cache, todo

        from . import todo as app_todo
        from .models import Catalogue, CatalogueItem, Domain

        todo.register(app_todo.sections)
        # Publishing a catalogue bumps through portal.changes; these catch every other save of what the
        # catalogue pages show (domains, an item corrected in place), whatever path it takes.
        for model in (Domain, Catalogue, CatalogueItem):
            for signal in (post_save, post_delete):
                signal.connect(cache.invalidate, sender=model, dispatch_uid=f"pages.{model.__name__}")
