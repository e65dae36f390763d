"""The township review task: a group approval that refuses to approve an incomplete guide.

The center head (中心负责人) approves a guide submitted by an editor; approval publishes it.
When the publish gate (``guides.publishing.publish_blockers``) still finds problems, approving
would fail at publish time, so the task turns the approval into "request changes" and puts every
reason in the comment, where the editor sees it in the workflow history and the status panel.
"""

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


def blocked_approval_comment(reasons, reviewer_comment=""):
    """The comment recorded when an approval is turned into a request for changes."""
    lines = [gettext("发布前检查未通过，已自动退回修改。请补全以下内容后重新提交：")]
    lines += [f"{number}. {reason}" for number, reason in enumerate(reasons, start=1)]
    if reviewer_comment:
        lines.append(gettext("审核意见：%(comment)s") % {"comment": reviewer_comment})
    return "\n".join(lines)


def approval_blockers(task_state):
    """Why approving this task state cannot publish the object; empty when it can.

    The revision that the workflow publishes on approval is the object's latest revision,
    so that is the one checked. Only service guides have a publish gate.
    """
    from ..publishing import publish_blockers
    from .guides import ServiceGuidePage

    content_object = task_state.workflow_state.content_object
    revision = content_object.get_latest_revision() if content_object else None
    if revision is None:
        revision = task_state.revision
    instance = revision.as_object()
    if not isinstance(instance, ServiceGuidePage):
        return []
    return publish_blockers(instance)


class DisclosureApprovalTask(AbstractGroupApprovalTask):
    """Group approval that checks the six disclosures (六公开) before approving."""

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            reasons = approval_blockers(task_state)
            if reasons:
                comment = blocked_approval_comment(reasons, kwargs.get("comment", ""))
                task_state.reject(user=user, comment=comment)
                return None
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("由指定用户组审核；审核通过前检查办事指南的六公开要素，不完整的自动退回修改")

    class Meta:
        verbose_name = _("六公开审核任务")
        verbose_name_plural = _("六公开审核任务")
