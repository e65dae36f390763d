"""System checks guides.E001 / W001 / E002: quiet when all is well, loud when not."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import OperationalError
from wagtail.models import Page, Site, Workflow, WorkflowPage

from guides import checks as guide_checks
from guides.models import TownshipGroup, TownshipPage, TownshipRoleKind

pytestmark = pytest.mark.django_db


def run(databases=("default",)):
    return guide_checks.check_township_access(databases=list(databases) if databases else None)


def ids(messages):
    return sorted(m.id for m in messages)


def test_registered_as_a_database_check():
    registered = checks.registry.registry.get_checks(include_deployment_checks=False)
    assert guide_checks.check_township_access in registered
    assert "database" in guide_checks.check_township_access.tags


def test_quiet_on_an_empty_database():
    assert not TownshipPage.objects.exists()
    assert run() == []


def test_quiet_without_databases_even_when_broken(township):
    TownshipGroup.objects.filter(township=township).delete()
    assert run(databases=None) == []
    call_command("check")  # plain `manage.py check` stays clean (raises SystemCheckError if not)


def test_quiet_when_all_is_set_up(township, other_township):
    assert run() == []


def test_missing_group_is_an_error(township, other_township):
    TownshipGroup.objects.filter(township=township, role=TownshipRoleKind.HEAD).delete()
    messages = run()
    assert ids(messages) == ["guides.E001"]
    assert "官盛镇" in messages[0].msg
    assert "head" in messages[0].msg
    assert messages[0].obj == township


def test_missing_or_inactive_workflow_is_an_error(township, other_township):
    WorkflowPage.objects.filter(page=township).delete()
    assert ids(run()) == ["guides.E001"]
    Workflow.objects.filter(workflow_pages__page=other_township).update(active=False)
    assert ids(run()) == ["guides.E001", "guides.E001"]


def test_draft_township_without_groups_is_not_an_error(township):
    TownshipGroup.objects.filter(township=township).delete()
    TownshipPage.objects.filter(pk=township.pk).update(live=False)
    assert run() == []


def test_township_without_collection_is_a_warning(township):
    TownshipPage.objects.filter(pk=township.pk).update(collection=None)
    messages = run()
    assert ids(messages) == ["guides.W001"]
    assert messages[0].level == checks.WARNING


def test_portal_must_be_the_default_sites_root(portal):
    assert run() == []
    Site.objects.filter(is_default_site=True).update(root_page=Page.get_first_root_node())
    assert ids(run()) == ["guides.E002"]
    Site.objects.all().delete()
    assert ids(run()) == ["guides.E002"]


def test_skipped_while_migrations_are_pending(township, monkeypatch):
    TownshipGroup.objects.filter(township=township).delete()
    assert ids(run()) == ["guides.E001"]
    monkeypatch.setattr(guide_checks, "has_pending_migrations", lambda alias: True)
    assert run() == []


def test_skipped_when_the_tables_are_missing(monkeypatch):
    def missing_table(alias):
        raise OperationalError("no such table: guides_townshippage")

    monkeypatch.setattr(guide_checks, "township_access_problems", missing_table)
    assert run() == []


def test_setup_township_access_clears_the_errors(township):
    TownshipGroup.objects.filter(township=township).delete()
    WorkflowPage.objects.filter(page=township).delete()
    assert ids(run()) == ["guides.E001", "guides.E001"]
    call_command("setup_township_access", verbosity=0)
    assert run() == []
