"""Wagtail hooks of the supervision board and the complaints (imported by
``forms.wagtail_hooks``): the admin URLs and two menu items, "电子监察" and "投诉建议", shown to
county staff, reviewers and the townships' clerks and heads."""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import can_view_board


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_board(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    from .admin_urls import urlpatterns

    return urlpatterns


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    return SupervisionMenuItem(
        gettext_lazy("电子监察"),
        reverse("applications_supervision:index"),
        name="supervision",
        icon_name="time",
        order=310,
    )


@hooks.register("register_admin_menu_item")
def register_complaints_menu_item():
    return SupervisionMenuItem(
        gettext_lazy("投诉建议"),
        reverse("applications_complaints_admin:index"),
        name="complaints",
        icon_name="mail",
        order=320,
    )
