"""What every public page model shares."""


class SiteChromeMixin:
    """Give templates the layout (``chrome``) computed from this page itself.

    The ``site_chrome`` context processor finds the page from the routed URL, which admin
    previews do not have; setting it here makes previews show the same header and footer.
    """

    def get_context(self, request, *args, **kwargs):
        from ..views.site import SiteChrome, page_extra

        context = super().get_context(request, *args, **kwargs)
        chrome = SiteChrome(request, self)
        context["chrome"] = chrome
        context["page_extra"] = page_extra(request, chrome)
        return context
