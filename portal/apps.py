from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "机构与人员"

    def ready(self):
        # Organisations and gazette issues have no workflow step: the search index follows their saves
        # (in the saving transaction). Documents and catalogue items are indexed by their workflows.
        from disclosure.models import GazetteIssue

        from . import search
        from .models import Organisation

        post_save.connect(search.organisation_saved, sender=Organisation, dispatch_uid="search_organisation_saved")
        post_delete.connect(search.organisation_deleted, sender=Organisation, dispatch_uid="search_organisation_deleted")
        post_save.connect(search.gazette_issue_saved, sender=GazetteIssue, dispatch_uid="search_gazette_saved")
        post_delete.connect(search.gazette_issue_deleted, sender=GazetteIssue, dispatch_uid="search_gazette_deleted")
