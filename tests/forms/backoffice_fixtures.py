"""Fixtures for the back-office tests: two townships (官盛镇 and 协兴镇) with their staff, a guide
in each, and helpers to make applications and stored files.

Import them into a test module with ``from tests.forms.backoffice_fixtures import *``.
"""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from forms.private_storage import private_storage
from forms.submission import Options, StoredFile, Submission, create_application
from guides import factories
from guides.models import GuideMaterial, ServiceGuidePage, TownshipGroup, TownshipRoleKind
from guides.models.choices import MaterialNecessity
from guides.permissions import ensure_county_groups
from tests.forms.conftest import applicant

__all__ = [
    "admin_url",
    "clerk",
    "clerk2",
    "county_admin",
    "editor",
    "head",
    "make_user",
    "other_clerk",
    "other_guide",
    "private_root",
    "stored_file",
    "submit",
]


def make_user(username, township=None, role=None, *, first_name="", **extra):
    user = get_user_model().objects.create_user(
        username=username, password="x", first_name=first_name, **extra
    )
    if township is not None:
        user.groups.add(TownshipGroup.objects.get(township=township, role=role).group)
    return user


def admin_url(name, *args, query=""):
    url = reverse(f"applications_admin:{name}", args=args)
    return f"{url}?{query}" if query else url


@pytest.fixture
def clerk(township):
    return make_user("gs-clerk", township, TownshipRoleKind.CLERK, first_name="王小明")


@pytest.fixture
def clerk2(township):
    return make_user("gs-clerk2", township, TownshipRoleKind.CLERK, first_name="李芳")


@pytest.fixture
def head(township):
    return make_user("gs-head", township, TownshipRoleKind.HEAD, first_name="陈主任")


@pytest.fixture
def editor(township):
    return make_user("gs-editor", township, TownshipRoleKind.EDITOR, first_name="赵编辑")


@pytest.fixture
def other_clerk(other_township):
    return make_user("xx-clerk", other_township, TownshipRoleKind.CLERK, first_name="刘协兴")


@pytest.fixture
def county_admin(portal):
    admins, _reviewers = ensure_county_groups()
    user = make_user("county", first_name="区管理员")
    user.groups.add(admins)
    return user


@pytest.fixture
def other_guide(other_township):
    guide = factories.ServiceGuidePageFactory(parent=other_township, channel_online=True)
    guide.materials.add(GuideMaterial(name="户口簿", necessity=MaterialNecessity.REQUIRED))
    guide.save_revision().publish()
    return ServiceGuidePage.objects.get(pk=guide.pk)


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored_file(content, *, material_name="申请人居民身份证", original_name="身份证.jpg",
                content_type="image/jpeg", extension="jpg", material=None):  # fmt: skip
    """Save ``content`` in private storage as the upload code would; return a ``StoredFile``."""
    name = private_storage().save(
        f"applications/test/{hashlib.sha256(content).hexdigest()[:32]}.{extension}",
        ContentFile(content),
    )
    return StoredFile(
        material_name=material_name,
        stored_name=name,
        original_name=original_name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        material=material,
    )


def submit(guide, *, files=(), when=None, options=None, **applicant_values):
    """An application to ``guide`` as the wizard would create it."""
    return create_application(
        Submission(
            guide=guide,
            applicant=applicant(**applicant_values),
            answers=[{"key": "household-size", "question": "家庭人口", "answer": "4"}],
            options=options or Options(),
            files=list(files),
        ),
        when=when,
    )
