from django.urls import path

from . import feeds, views

app_name = "disclosure"
urlpatterns = [
    path("", views.column, name="column"),
    path("org/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("guide/", views.guide_list, name="guide_list"),
    path("guide/<int:pk>/", views.guide_detail, name="guide_detail"),
    path("rules/", views.rules, name="rules"),
    path("reports/", views.annual_reports, name="annual_reports"),
    path("reports/<int:pk>/", views.annual_report_detail, name="annual_report_detail"),
    path("reports/<int:pk>/report.<str:extension>", views.annual_report_file, name="annual_report_file"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("normative/", views.normative_library, name="normative_library"),
    path("topics/", views.topic_list, name="topic_list"),
    path("gazette/", views.gazette_list, name="gazette_list"),
    path("gazette/<int:pk>/", views.gazette_detail, name="gazette_detail"),
    path("gazette/<int:pk>/pdf/", views.gazette_pdf, name="gazette_pdf"),
    path("feed/", feeds.LatestDocumentsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestDocumentsAtomFeed(), name="feed_atom"),
    path("feed/org/<int:pk>/", feeds.LatestDocumentsFeed(), name="organisation_feed"),
    path("feed/org/<int:pk>/atom/", feeds.LatestDocumentsAtomFeed(), name="organisation_feed_atom"),
]
