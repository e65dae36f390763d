"""The application pages in Debian's chromium at phone size (see tests/guides/test_browser.py)."""

import pytest
from django.urls import reverse

from forms.models import Draft
from tests.guides.test_browser import PHONE, county, dump_dom, screenshot  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def online(county):  # noqa: F811 (the fixture imported above)
    guide = county["guide"]
    guide.channel_online = True
    guide.save_revision().publish()
    return guide


def test_start_page_and_a_step_with_errors_on_a_phone(live_server, online, tmp_path):
    start = dump_dom(tmp_path, live_server.url + reverse("applications:start", args=[online.pk]))
    assert [li.get_text(strip=True) for li in start.select(".check-list li")][2:] == [
        "户口簿",
        "残疾人证（容缺，可后补）",
    ]
    assert start.find("button", string="开始申请")
    # A draft whose stored answers are wrong: the page shows them with the error summary.
    draft = Draft.objects.create(
        guide=online,
        data={
            "step": "applicant",
            "step_data": {
                "applicant": {
                    "applicant-name": ["张秀英"],
                    "applicant-id_number": ["511602195603171230"],
                    "applicant-mobile": ["13812345678"],
                }
            },
            "step_files": {},
            "extra_data": {},
        },
    )
    url = live_server.url + reverse(
        "applications:step", kwargs={"token": draft.token, "step": "applicant"}
    )
    dom = dump_dom(tmp_path, url)
    summary = dom.select_one(".error-summary")
    assert summary is not None
    assert summary.find("a")["href"] == "#id_applicant-id_number"
    assert dom.find("input", id="id_applicant-name")["value"] == "张秀英"
    assert "第 1 步" in dom.select_one(".eyebrow").get_text()
    image = screenshot(tmp_path, url, "apply-step-error")
    assert image.size == PHONE
    # The error summary's red border is drawn somewhere on the first screen.
    assert (0xB3, 0x26, 0x1E) in set(image.get_flattened_data())
