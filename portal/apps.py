from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "机构与人员"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from mptt.signals import node_moved

        from . import cache
        from .models import Organisation

        # Organisation names and their order in the tree are on every public page: cached pages go stale
        # with them (a drag and drop in the admin moves a node without saving it).
        for signal in (post_save, post_delete, node_moved):
            signal.connect(cache.invalidate, sender=Organisation, dispatch_uid="pages.Organisation")
