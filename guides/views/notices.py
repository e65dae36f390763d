"""Notice listing, notice page and feed."""

from django.contrib.syndication.views import Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models.choices import NoticeKind
from .presenters import phone

POSTING_STATES = {
    "upcoming": gettext_lazy("未开始"),
    "open": gettext_lazy("公示中"),
    "closed": gettext_lazy("已结束"),
}


def present_notice(notice, today=None):
    """A notice as the listings show it: kind badge and, for postings, period and state."""
    state = notice.posting_state(today)
    return {
        "title": notice.title,
        "url": notice.url,
        "date": notice.date,
        "summary": notice.summary,
        "kind": notice.kind,
        "kind_label": notice.get_kind_display(),
        "is_posting": notice.kind == NoticeKind.POSTING,
        "posting_start": notice.posting_start,
        "posting_end": notice.posting_end,
        "posting_days": notice.posting_days,
        "posting_state": state,
        "posting_state_label": POSTING_STATES.get(state, ""),
        "is_demo": notice.is_demo,
    }


def feed_url(index):
    return index.url + index.reverse_subpage("feed")


def notice_index_context(index, request):
    return {
        "notices": [present_notice(n) for n in index.notices()],
        "township": index.get_parent().specific,
        "feed_url": feed_url(index),
    }


def notice_context(notice, request):
    """A notice page: its posting state, objection phone and the van schedule."""
    index = notice.get_parent()
    stops = notice.van_stops.select_related("village").order_by("date", "start_time")
    return {
        "notice": present_notice(notice),
        "township": notice.township,
        "index_title": index.title,
        "index_url": index.url,
        "objection_phone": phone(notice.objection_phone),
        "van_stops": [
            {
                "village": s.village.title,
                "village_url": s.village.url,
                "date": s.date,
                "start_time": s.start_time,
                "end_time": s.end_time,
                "location": s.location,
                "services": s.services,
            }
            for s in stops
        ],
    }


class TownshipNoticeFeed(Feed):
    """RSS 2.0 of one township's 30 latest live notices."""

    def __init__(self, index, request):
        super().__init__()
        self.index = index
        self.request = request

    def title(self):
        return _("%(township)s %(index)s") % {
            "township": self.index.get_parent().title,
            "index": self.index.title,
        }

    def link(self):
        return self.index.url

    def description(self):
        return self.index.introduction or self.title()

    def items(self):
        return self.index.notices()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.get_kind_display()]


def notice_feed(request, index):
    return TownshipNoticeFeed(index, request)(request)
