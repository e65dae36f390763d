"""The public figures page (办件公示) and the complaint form in Debian's chromium at phone size
(see tests/guides/test_browser.py)."""

import pytest

from forms import statistics
from guides.models import TownshipPage
from tests.forms.test_statistics import TODAY, build_records
from tests.guides.test_browser import BRAND, PHONE, dump_dom, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(statistics, "local_today", lambda: TODAY)


def test_public_figures_on_a_phone(
    live_server, township, other_township, django_user_model, tmp_path
):
    build_records(township, other_township, django_user_model)
    url = f"{live_server.url}/supervision/?start=2026-06-01&end=2026-07-31"
    dom = dump_dom(tmp_path, url)
    period = statistics.Period(TODAY.replace(month=6, day=1), TODAY.replace(month=7, day=31))
    report = statistics.build_report(TownshipPage.objects.live(), period, today=TODAY)
    shown = {dd["data-figure"]: dd.get_text(strip=True) for dd in dom.select("dd[data-figure]")}
    assert shown["received"] == str(report.total.received)
    assert shown["completed"] == str(report.total.completed)
    charts = dom.select("figure.supervision-chart svg")
    assert len(charts) >= 2 and all(chart.find("rect") for chart in charts)
    image = screenshot(tmp_path, url, "supervision")
    assert image.size == PHONE
    assert image.getpixel((5, 5)) == BRAND and image.getpixel((PHONE[0] - 5, 5)) == BRAND


def test_complaint_form_on_a_phone(live_server, township, other_township, tmp_path):
    url = f"{live_server.url}/complaints/new/?township={other_township.code}"
    dom = dump_dom(tmp_path, url)
    form = dom.find("form", method="post")
    assert form is not None
    assert form.find("option", selected=True)["value"] == other_township.code
    assert form.find("textarea") is not None
    image = screenshot(tmp_path, url, "complaint-form")
    assert image.size == PHONE and image.getpixel((5, 5)) == BRAND
