"""Back-office URLs, under /admin/applications/ (registered by forms/wagtail_hooks.py, so every
one of them requires admin access; the views then require a township the user handles)."""

from django.urls import path

from . import documents, files, rectifications, reports, views

app_name = "applications_admin"

urlpatterns = [
    path("", views.QueueView.as_view(), name="index"),
    path("results/", views.QueueView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", views.act, name="act"),
    path("<int:pk>/print/<slug:document>/", documents.print_document, name="print"),
    path("files/<int:pk>/", files.material_file, name="file"),
    path("register/", reports.register, name="register"),
    path("statistics/", reports.statistics, name="statistics"),
    path("rectifications/", rectifications.rectification_list, name="rectifications"),
    path(
        "rectifications/<int:pk>/",
        rectifications.rectification_detail,
        name="rectification",
    ),
]
