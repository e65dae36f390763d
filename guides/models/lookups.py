"""Look-ups of the one row a query can match, without ``ORDER BY``.

``QuerySet.first()`` orders by the primary key. For Wagtail's wide page rows Django 5.2's
compiler spends more time building an ordered query than the database spends running it
(docs/performance.md, "Online applications"), and a page has at most one township and one
county above it, so these look-ups need no order.
"""


def only_row(queryset):
    """The row of a query that matches at most one, or None."""
    return next(iter(queryset.order_by()[:1]), None)


def ancestor(model, page, inclusive=False):
    """The ``model`` page above ``page`` (``page`` itself too when ``inclusive``), or None."""
    return only_row(model.objects.ancestor_of(page, inclusive=inclusive))
