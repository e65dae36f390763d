"""Public transparency pages, included by config/urls.py before Wagtail's catch-all, as
``path("transparency/", include("guides.transparency.urls"))``."""

from django.urls import path, re_path

from . import views

app_name = "transparency"

urlpatterns = [
    re_path(r"^(?P<code>[0-9]{9})/$", views.catalog, name="catalog"),
    path("guides/<int:guide_id>/changes/", views.guide_changes, name="guide_changes"),
]
