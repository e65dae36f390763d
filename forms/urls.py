from django.contrib.auth import views as auth_views
from django.urls import path

from . import agent_views, views
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
    path("agent/", agent_views.agent_home, name="agent_home"),
    path("agent/login/", agent_views.AgentLoginView.as_view(), name="agent_login"),
    path(
        "agent/logout/",
        auth_views.LogoutView.as_view(next_page="applications:agent_login"),
        name="agent_logout",
    ),
]
