"""Create or complete the groups, permissions, collections and workflows of every township."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from guides.models import TownshipPage
from guides.permissions import ensure_county_groups, ensure_township_access


class Command(BaseCommand):
    help = (
        "Idempotently set up township access: the county groups (区级管理员, 公开审查员) and, "
        "for each township, its three groups, collection, permissions and review workflow."
    )

    def handle(self, *args, **options):
        admins, reviewers = ensure_county_groups()
        self.stdout.write(
            _("县级用户组：%(admins)s、%(reviewers)s") % {"admins": admins, "reviewers": reviewers}
        )
        count = 0
        for township in TownshipPage.objects.order_by("code"):
            access = ensure_township_access(township)
            count += 1
            if options["verbosity"] > 1:
                self.stdout.write(
                    _("%(township)s：%(groups)s；合集“%(collection)s”；审核流程“%(workflow)s”")
                    % {
                        "township": township.title,
                        "groups": "、".join(group.name for group in access.groups.values()),
                        "collection": access.collection,
                        "workflow": access.workflow,
                    }
                )
        self.stdout.write(
            self.style.SUCCESS(_("已完成 %(count)d 个乡镇（街道）的权限设置。") % {"count": count})
        )
