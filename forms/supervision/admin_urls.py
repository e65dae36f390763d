"""Admin URLs (under /admin/, registered by ``hooks.register_admin_urls``)."""

from django.urls import include, path

from . import board, complaint_admin

board_patterns = [
    path("", board.BoardView.as_view(), name="index"),
    path("<str:code>/", board.TownshipBoardView.as_view(), name="township"),
]

complaint_patterns = [
    path("", complaint_admin.ComplaintIndexView.as_view(), name="index"),
    path("<int:pk>/", complaint_admin.ComplaintDetailView.as_view(), name="detail"),
]

urlpatterns = [
    path(
        "supervision/",
        include((board_patterns, "applications_supervision"), namespace="applications_supervision"),
    ),
    path(
        "complaints/",
        include(
            (complaint_patterns, "applications_complaints_admin"),
            namespace="applications_complaints_admin",
        ),
    ),
]
