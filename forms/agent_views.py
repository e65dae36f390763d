"""Village agents (村级代办员) on the public site: sign in, see what they applied for."""

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import ratelimit
from .models import Draft, DraftStatus
from .views import _grant, _page
from .wizard.steps import agent_for


class AgentLoginView(auth_views.LoginView):
    template_name = "applications/agent_login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("applications:agent_home")

    def post(self, request, *args, **kwargs):
        if not ratelimit.allow(request, "login"):
            form = self.get_form()
            form.add_error(None, _("登录尝试次数太多，请10分钟后再试。"))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("代办员登录")
        return context


@never_cache
def agent_home(request):
    agent = agent_for(request.user)
    if agent is None:
        return redirect(f"{reverse_lazy('applications:agent_login')}?next={request.path}")
    applications = list(
        agent.applications.select_related("township").order_by("-submitted_at")[:100]
    )
    for application in applications:
        _grant(request, application)  # the agent may open the status pages of their cases
    drafts = Draft.objects.filter(agent=request.user, status=DraftStatus.OPEN).select_related(
        "guide"
    )
    context = {
        "title": _("我代办的申请"),
        "agent": agent,
        "applications": applications,
        "drafts": drafts.order_by("-updated_at")[:50],
    }
    return _page(request, "applications/agent_home.html", context)
