"""Project invariants as Django system checks (ids guides.E0xx / guides.W0xx).

The checks here read the database, so they are tagged ``database``: Django runs them only when
databases are named (``manage.py check --database default``, and ``migrate`` before it
migrates); plain ``manage.py check`` passes ``databases=None`` and they return nothing. They are
quiet on an empty database (no portal, no townships) and while migrations are pending, so that
they can never stand in the way of the migration that would fix them.

- guides.E001  a live township lacks one of its three groups or its review workflow
- guides.W001  a township has no collection for its images and documents
- guides.E002  the county portal is not the root page of the default site
"""

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections

from .models.access import TownshipRoleKind

SETUP_HINT = "Run `manage.py setup_township_access` (idempotent) to create what is missing."


def has_pending_migrations(alias):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _databases_to_check(databases):
    """The aliases whose schema is complete; none when checks run without databases."""
    ready = []
    for alias in databases or ():
        try:
            if not has_pending_migrations(alias):
                ready.append(alias)
        except DatabaseError:
            continue
    return ready


def township_access_problems(alias="default"):
    from wagtail.models import WorkflowPage

    from .models import TownshipGroup, TownshipPage

    problems = []
    roles = set(TownshipRoleKind.values)
    linked_roles = {}
    for township_id, role in TownshipGroup.objects.using(alias).values_list("township_id", "role"):
        linked_roles.setdefault(township_id, set()).add(role)
    with_workflow = set(
        WorkflowPage.objects.using(alias)
        .filter(workflow__active=True)
        .values_list("page_id", flat=True)
    )
    townships = TownshipPage.objects.using(alias).order_by("code")
    for township in townships.filter(live=True).only("pk", "title", "code"):
        missing = sorted(roles - linked_roles.get(township.pk, set()))
        if missing:
            problems.append(
                Error(
                    f"Township {township.title} ({township.code}) has no group for the role(s) "
                    f"{', '.join(missing)}: its staff cannot be given access.",
                    hint=SETUP_HINT,
                    obj=township,
                    id="guides.E001",
                )
            )
        if township.pk not in with_workflow:
            problems.append(
                Error(
                    f"Township {township.title} ({township.code}) has no active review "
                    "workflow of its own: its guides would be approved by another group.",
                    hint=SETUP_HINT,
                    obj=township,
                    id="guides.E001",
                )
            )
    for township in townships.filter(collection__isnull=True).only("pk", "title", "code"):
        problems.append(
            Warning(
                f"Township {township.title} ({township.code}) has no collection for its "
                "images and documents.",
                hint=SETUP_HINT,
                obj=township,
                id="guides.W001",
            )
        )
    return problems


def portal_site_problems(alias="default"):
    from wagtail.models import Site

    from .models import CountyPortalPage

    portal = CountyPortalPage.objects.using(alias).only("pk", "title").first()
    if portal is None:
        return []
    site = Site.objects.using(alias).filter(is_default_site=True).first()
    if site is not None and site.root_page_id == portal.pk:
        return []
    return [
        Error(
            f"The county portal {portal.title} is not the root page of the default site, so "
            "its townships' pages have no public URLs.",
            hint="In Settings › Sites, make the portal the default site's root page.",
            obj=portal,
            id="guides.E002",
        )
    ]


@register(Tags.database)
def check_township_access(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in _databases_to_check(databases):
        try:
            errors += township_access_problems(alias)
            errors += portal_site_problems(alias)
        except DatabaseError:
            continue
    return errors
