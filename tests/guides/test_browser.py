"""The public site in a real browser: Debian's chromium, headless, at phone size (390×844).

Needs Debian's chromium (and a Chinese font for readable screenshots):
    apt-get update && apt-get install -y chromium fonts-noto-cjk
Never a downloaded browser build. Without chromium these tests fail and say how to install it.

Set BROWSER_SCREENSHOTS to a directory to keep the screenshots for a person to look at.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from wagtail.models import Page, Site

from guides import factories
from guides.models import GuideFAQ, GuideMaterial, PortalPopularItem, WindowDuty
from guides.models.choices import MaterialNecessity, NoticeKind

from .test_pages import SIX_HEADINGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INSTALL_HINT = (
    "Debian's chromium is not installed. Install it with:\n"
    "    apt-get update && apt-get install -y chromium fonts-noto-cjk\n"
    "(never a downloaded browser build)."
)
PHONE = (390, 844)
BRAND = (0x0A, 0x4B, 0x85)

# The 25 township-level units of Guang'an District (statistical division codes, 2023).
TOWNSHIPS = [
    ("511602001", "浓洄街道"),
    ("511602002", "北辰街道"),
    ("511602004", "广福街道"),
    ("511602005", "万盛街道"),
    ("511602006", "中桥街道"),
    ("511602007", "枣山街道"),
    ("511602101", "官盛镇"),
    ("511602102", "协兴镇"),
    ("511602103", "浓溪镇"),
    ("511602104", "悦来镇"),
    ("511602105", "兴平镇"),
    ("511602106", "井河镇"),
    ("511602107", "花桥镇"),
    ("511602108", "龙台镇"),
    ("511602109", "肖溪镇"),
    ("511602110", "恒升镇"),
    ("511602111", "石笋镇"),
    ("511602112", "白市镇"),
    ("511602113", "大安镇"),
    ("511602121", "穿石镇"),
    ("511602122", "大龙镇"),
    ("511602123", "东岳镇"),
    ("511602207", "龙安乡"),
    ("511602208", "彭家乡"),
    ("511602216", "白马乡"),
]


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail(INSTALL_HINT, pytrace=False)


def run_chromium(tmp_path, *args):
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--lang=zh-CN",
        "--accept-lang=zh-CN,zh",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={PHONE[0]},{PHONE[1]}",
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def screenshot(tmp_path, url, name):
    target = tmp_path / f"{name}.png"
    run_chromium(tmp_path, f"--screenshot={target}", url)
    assert target.exists(), f"chromium wrote no screenshot for {url}"
    keep = os.environ.get("BROWSER_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(keep) / target.name)
    return Image.open(target).convert("RGB")


def dump_dom(tmp_path, url):
    return BeautifulSoup(run_chromium(tmp_path, "--dump-dom", url).stdout, "html.parser")


@pytest.fixture
def county(settings):
    """The district with its 25 townships and one township filled in, committed for chromium."""
    root = Page.get_first_root_node()
    portal = factories.CountyPortalPageFactory(
        parent=root, introduction="广安区各乡镇（街道）便民服务中心办事指南。"
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = portal
    site.save()
    townships = {
        code: factories.TownshipPageFactory(parent=portal, title=name, code=code)
        for code, name in TOWNSHIPS
    }
    township = townships["511602101"]
    township.directions = "乘坐广安城区至官盛的公交车，在官盛场镇站下车"
    township.save()
    window = factories.ServiceWindowFactory(township=township, number="1", name="社会事务窗口")
    WindowDuty.objects.create(
        window=window, staff_name="李芳", role="窗口负责人", days="周一至周五"
    )
    department = factories.DepartmentFactory(name="广安区民政局")
    item = factories.ServiceItemFactory(name="最低生活保障审核确认", department=department)
    guide = factories.ServiceGuidePageFactory(
        parent=township, item=item, window=window, mode_proxy=True, mode_home_visit=True
    )
    guide.materials.add(
        GuideMaterial(
            name="户口簿",
            copies=1,
            necessity=MaterialNecessity.REQUIRED,
            notes="全家成员页",
            sort_order=1,
        )
    )
    guide.materials.add(
        GuideMaterial(
            name="残疾人证", copies=1, necessity=MaterialNecessity.DEFERRABLE, sort_order=2
        )
    )
    guide.faqs.add(GuideFAQ(question="外出务工可以申请吗？", answer="可以，由家人代为申请。"))
    guide.save()
    guide.save_revision().publish()
    PortalPopularItem.objects.create(page=portal, item=item, label="低保申请")
    index = factories.NoticeIndexPageFactory(parent=township)
    factories.NoticePageFactory(
        parent=index, title="流动服务车下村安排", kind=NoticeKind.VAN_SCHEDULE
    )
    factories.VillageStationPageFactory(parent=township, title="石板村", code="511602101201")
    return {"portal": portal, "township": township, "guide": guide}


def test_guide_page_on_a_phone_shows_the_six_disclosures(live_server, county, tmp_path):
    url = live_server.url + county["guide"].url
    dom = dump_dom(tmp_path, url)
    assert dom.html["lang"] == "zh-Hans"
    sections = dom.select("section.guide-section")
    assert [s["id"] for s in sections[:6]] == [
        "item",
        "procedure",
        "materials",
        "commitment",
        "fee",
        "basis",
    ]
    headings = [s.find("h2").get_text(" ", strip=True) for s in sections[:6]]
    assert [next(n for n in SIX_HEADINGS if n in h) for h in headings] == SIX_HEADINGS
    image = screenshot(tmp_path, url, "guide")
    assert image.size == PHONE
    # The stylesheet loaded: the header carries the brand colour across the full width.
    assert image.getpixel((5, 5)) == BRAND and image.getpixel((PHONE[0] - 5, 5)) == BRAND
    assert len(set(image.get_flattened_data())) > 50  # text was drawn, not a blank page


@pytest.mark.parametrize("name", ["portal", "township"])
def test_portal_and_township_render_at_phone_size(live_server, county, tmp_path, name):
    url = live_server.url + county[name].url
    image = screenshot(tmp_path, url, name)
    assert image.size == PHONE
    assert image.getpixel((5, 5)) == BRAND
    dom = dump_dom(tmp_path, url)
    assert dom.find("main", id="main") is not None
    if name == "portal":
        assert len(dom.select("#townships a.tile")) == 25
        assert [h.get_text(strip=True) for h in dom.select("#townships h3")] == ["街道", "镇", "乡"]
    else:
        assert dom.find(id="guides").find("a", string="最低生活保障审核确认")
        assert "年" in dom.find(id="notices").find("time").get_text()  # a Chinese browser's dates
