from django.urls import path

from . import views

app_name = "requests_app"
urlpatterns = [
    path("", views.apply, name="apply"),
    path("receipt/", views.receipt, name="receipt"),
    path("status/", views.status, name="status"),
    path("status/letters/<int:pk>/", views.status_letter, name="status_letter"),
    path("status/information/", views.status_information, name="status_information"),
]
