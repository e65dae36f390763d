"""Admin: "搜索设置" — synonyms and best bets, as snippets.

Editing them takes the models' add/change/delete permissions, which county administrators
(the ``区级管理员`` group) and superusers hold; township staff do not see the menu.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import BestBet, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("同义词")
    list_display = ["term", "canonical", "kind", "active", "updated_at"]
    list_filter = ["kind", "active"]
    # ORM search: substring matching suits short Chinese words.
    search_backend_name = None
    search_fields = ["term", "canonical", "note"]
    list_per_page = 50


class BestBetViewSet(SnippetViewSet):
    model = BestBet
    icon = "pick"
    menu_label = _("推荐结果")
    list_display = ["query", "item", "page", "township", "sort_order"]
    list_filter = ["township"]
    search_backend_name = None
    search_fields = ["query"]


class SearchSettingsGroup(SnippetViewSetGroup):
    menu_label = _("搜索设置")
    menu_icon = "search"
    menu_order = 260
    items = (SynonymViewSet, BestBetViewSet)


register_snippet(SearchSettingsGroup)
