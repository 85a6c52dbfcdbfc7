from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "政府信息发布"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal import cache, todo
        from portal.signals import calendar_changed

        from . import signals
        from . import todo as app_todo

        todo.register(app_todo.sections)
        calendar_changed.connect(signals.recompute_publish_by, dispatch_uid="disclosure.recompute_publish_by")
        # What public pages show besides documents (whose steps bump through portal.changes): cached pages
        # go stale when these are saved, from the admin, a command or anywhere else.
        from .models import GazetteEntry, GazetteIssue, GazettePdf, Guide, Topic

        for model in (Guide, Topic, GazetteIssue, GazetteEntry, GazettePdf):
            for signal in (post_save, post_delete):
                signal.connect(cache.invalidate, sender=model, dispatch_uid=f"pages.{model.__name__}")
