from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "机构与人员"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import cache
        from .models import Organisation

        # Organisation names and the tree are on every public page: cached pages go stale with them.
        for signal in (post_save, post_delete):
            signal.connect(cache.invalidate, sender=Organisation, dispatch_uid=f"portal.pages.{signal is post_save}")
