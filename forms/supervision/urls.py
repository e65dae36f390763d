"""Public URLs: the figures (办件公示) and complaints and suggestions (投诉建议).

Included by ``config.urls`` before Wagtail's page routes: ``path("", include("forms.supervision.urls"))``.
"""

from django.urls import path

from . import public

app_name = "supervision"

urlpatterns = [
    path("supervision/", public.figures, name="figures"),
    path("supervision/<str:code>/", public.township_figures, name="township_figures"),
    path("complaints/new/", public.complaint_new, name="complaint_new"),
    path("complaints/submitted/", public.complaint_submitted, name="complaint_submitted"),
    path("complaints/follow/", public.complaint_follow, name="complaint_follow"),
    path("complaints/replies/", public.complaint_replies, name="complaint_replies"),
]
