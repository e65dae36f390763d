from django.urls import path

from . import views
from .wizard.views import ApplicationWizard

app_name = "applications"

wizard = ApplicationWizard.as_wizard_view()

urlpatterns = [
    path("apply/<int:guide_id>/", views.start, name="start"),
    path("apply/resume/", views.resume, name="resume"),
    path("apply/d/<str:token>/", views.resume_draft, name="resume_draft"),
    path("apply/d/<str:token>/<str:step>/", wizard, name="step"),
    path("apply/submitted/<str:token>/", views.confirmation, name="confirmation"),
    path("apply/receipt/<str:token>/", views.receipt, name="receipt"),
    path("status/", views.status_lookup, name="status"),
    path("status/<str:number>/", views.status_detail, name="status_detail"),
]
