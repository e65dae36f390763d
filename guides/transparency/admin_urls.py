"""Admin URLs of the disclosure board, registered under /admin/transparency/ by a hook."""

from django.urls import include, path

from . import admin_views

app_name = "guides_transparency"

urlpatterns = [
    path("", admin_views.BoardView.as_view(), name="index"),
    path("export.<str:fmt>", admin_views.ExportView.as_view(), name="export"),
    path("township/<str:code>/", admin_views.TownshipView.as_view(), name="township"),
    path("guide/<int:pk>/", admin_views.GuideView.as_view(), name="guide"),
]


def admin_urlpatterns():
    return [path("transparency/", include((urlpatterns, app_name), namespace=app_name))]
