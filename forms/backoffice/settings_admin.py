"""Settings for county administrators: the holiday adjustments of the working-day calendar
(节假日调整) and the village agents (村级代办员), as snippets under 设置.

Both are county-wide records: superusers and county administrators (holders of
``guides.manage_all_townships``) manage them, and anyone explicitly given the model permission;
township staff do not see them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from guides.permissions import MANAGE_ALL_TOWNSHIPS, is_county_wide

from ..models import VillageAgent, WorkCalendarDay


class CountyWidePermissionPolicy(ModelPermissionPolicy):
    """Model permissions, plus every action for superusers and county administrators."""

    def user_has_permission(self, user, action):
        return is_county_wide(user) or super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return is_county_wide(user) or super().user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        app_label, codename = MANAGE_ALL_TOWNSHIPS.split(".")
        manage_all = Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        ) | Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        )
        granted = super().users_with_any_permission(actions).values("pk")
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(pk__in=granted) | Q(is_superuser=True) | manage_all)
            .distinct()
        )


class WorkCalendarDayViewSet(SnippetViewSet):
    model = WorkCalendarDay
    icon = "date"
    menu_label = gettext_lazy("节假日调整")
    add_to_settings_menu = True
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    list_per_page = 50


class VillageAgentViewSet(SnippetViewSet):
    model = VillageAgent
    icon = "user"
    menu_label = gettext_lazy("村级代办员")
    add_to_settings_menu = True
    list_display = ["name", "village", "phone", "active", "user"]
    list_filter = ["active"]
    search_backend_name = None
    search_fields = ["name", "phone", "village__title"]
    list_per_page = 50
