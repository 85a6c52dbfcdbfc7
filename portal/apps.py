from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on our AdminSite (portal.accounts): the second factor and our login pages."""

    default = False
    default_site = "portal.accounts.AdminSite"


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = "机构与人员"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from mptt.signals import node_moved

        from disclosure.models import GazetteIssue

        from . import cache, search
        from .models import Organisation

        # Organisation names and their order in the tree are on every public page: cached pages go stale
        # with them (a drag and drop in the admin moves a node without saving it).
        for signal in (post_save, post_delete, node_moved):
            signal.connect(cache.invalidate, sender=Organisation, dispatch_uid="pages.Organisation")
        # Organisations and gazette issues have no workflow step: the search index follows their saves
        # (in the saving transaction). Documents and catalogue items are indexed by their workflows.
        post_save.connect(search.organisation_saved, sender=Organisation, dispatch_uid="search_organisation_saved")
        post_delete.connect(search.organisation_deleted, sender=Organisation, dispatch_uid="search_organisation_deleted")
        post_save.connect(search.gazette_issue_saved, sender=GazetteIssue, dispatch_uid="search_gazette_saved")
        post_delete.connect(search.gazette_issue_deleted, sender=GazetteIssue, dispatch_uid="search_gazette_deleted")
