"""Wagtail admin integration of applications: the back office (docs/back-office.md).

- "办件管理": the queue of the user's townships' applications (clerks, heads, county staff);
- "两卡一表": the acceptance register and the statistics table, with CSV/XLSX exports;
- "差评整改": rectifications of bad reviews (center heads and county staff);
- 设置 › 节假日调整 and 设置 › 村级代办员 (county administrators).

The supervision board and complaints register their own hooks in ``forms.supervision.hooks``,
imported here (Wagtail loads only ``<app>/wagtail_hooks.py``).
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .backoffice import urls as backoffice_urls
from .backoffice.settings_admin import (
    CountyWidePermissionPolicy,
    VillageAgentViewSet,
    WorkCalendarDayViewSet,
)
from .models import VillageAgent, WorkCalendarDay
from .permissions import clerk_townships, head_townships
from .supervision import hooks as _supervision_hooks  # noqa: F401  (registers its hooks)

# Must be registered before anything asks the registry for these models' policies.
register_permission_policy(WorkCalendarDay, CountyWidePermissionPolicy(WorkCalendarDay))
register_permission_policy(VillageAgent, CountyWidePermissionPolicy(VillageAgent))


@hooks.register("register_admin_urls")
def register_backoffice_urls():
    return [path("applications/", include(backoffice_urls, namespace="applications_admin"))]


class HandlerMenuItem(MenuItem):
    """Shown to users who handle applications somewhere (clerks, heads, county staff)."""

    def is_shown(self, request):
        return clerk_townships(request.user).exists()


class HeadMenuItem(MenuItem):
    """Shown to center heads and county staff."""

    def is_shown(self, request):
        return head_townships(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return HandlerMenuItem(
        gettext_lazy("办件管理"),
        reverse("applications_admin:index"),
        name="applications",
        icon_name="tasks",
        order=110,
    )


@hooks.register("register_admin_menu_item")
def register_ledger_menu_item():
    menu = Menu(
        items=[
            HandlerMenuItem(
                gettext_lazy("受理登记簿"),
                reverse("applications_admin:register"),
                name="application-register",
                icon_name="list-ul",
                order=1,
            ),
            HandlerMenuItem(
                gettext_lazy("办件统计表"),
                reverse("applications_admin:statistics"),
                name="application-statistics",
                icon_name="table",
                order=2,
            ),
        ]
    )
    return SubmenuMenuItem(
        gettext_lazy("两卡一表"), menu, name="application-ledger", icon_name="table", order=111
    )


@hooks.register("register_admin_menu_item")
def register_rectification_menu_item():
    return HeadMenuItem(
        gettext_lazy("差评整改"),
        reverse("applications_admin:rectifications"),
        name="rectifications",
        icon_name="warning",
        order=112,
    )


register_snippet(WorkCalendarDayViewSet)
register_snippet(VillageAgentViewSet)
