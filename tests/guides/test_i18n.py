"""Chinese is the source language; locale/en carries English (compiled by `make messages`)."""

import pytest
from django.utils import translation

from guides.models.guides import format_limit

pytestmark = pytest.mark.django_db


def test_time_limit_reads_naturally_in_both_languages():
    with translation.override("zh-hans"):
        assert format_limit(20, "working_days") == "20个工作日"
    with translation.override("en"):
        assert format_limit(20, "working_days") == "20 working days"


def test_guide_page_in_english_for_an_english_browser(client, guide):
    chinese = client.get(guide.url).content.decode()
    english = client.get(guide.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "办事程序" in chinese
    assert "办事程序" not in english
    assert "Procedure" in english
