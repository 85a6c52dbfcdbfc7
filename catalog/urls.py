from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.domain_list, name="domain_list"),
    path("overview/", views.overview, name="overview"),
    path("county.xlsx", views.county_export, name="county_export"),
    path("item/<uuid:key>/", views.item_detail, name="item_detail"),
    path("<slug:slug>/", views.domain_detail, name="domain_detail"),
    path("<slug:slug>/<int:organisation_pk>/", views.catalogue_detail, name="catalogue_detail"),
    path("<slug:slug>/<int:organisation_pk>/export.xlsx", views.catalogue_export, name="catalogue_export"),
]
