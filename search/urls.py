"""The public search page, mounted at /search/ by ``config.urls`` (before Wagtail's pages)."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
]
