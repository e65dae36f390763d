"""Notice listing and feed."""

from django.contrib.syndication.views import Feed


def notice_index_context(index, request):
    return {"notices": index.notices(), "township": index.get_parent().specific}


class TownshipNoticeFeed(Feed):
    def __init__(self, index, request):
        super().__init__()
        self.index = index
        self.request = request

    def title(self):
        return f"{self.index.get_parent().title} {self.index.title}"

    def link(self):
        return self.index.url

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


def notice_feed(request, index):
    return TownshipNoticeFeed(index, request)(request)
