"""The public site: every page type renders what citizens need, accessibly, without outside hosts."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.utils import timezone

from guides import factories
from guides.models import (
    GuideFAQ,
    GuideFee,
    GuideLegalBasis,
    GuideMaterial,
    PortalPopularItem,
    VanStop,
    WindowDuty,
)
from guides.models.choices import (
    BasisStatus,
    FeeStatus,
    MaterialNecessity,
    MaterialType,
    NoticeKind,
)

pytestmark = pytest.mark.django_db

SIX_HEADINGS = [
    "办理事项与申请条件",
    "办事程序",
    "申报材料",
    "服务承诺与时限",
    "收费标准",
    "法律政策依据",
]


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(node):
    return re.sub(r"\s+", " ", node.get_text(" ", strip=True))


# ---------------------------------------------------------------- content


@pytest.fixture
def window(township):
    window = factories.ServiceWindowFactory(
        township=township, number="3", name="社会事务窗口", phone="0826-2600333"
    )
    WindowDuty.objects.create(
        window=window, staff_name="李芳", role="窗口负责人", days="周一至周五"
    )
    return window


def add_materials(guide, materials):
    for material in materials:
        guide.materials.add(material)
    guide.save()
    guide.save_revision().publish()


@pytest.fixture
def rich_guide(township, window):
    """A guide with several materials (after the factory's 申请人居民身份证, sort_order 0), a
    fee, an amended basis, a window and an FAQ."""
    department = factories.DepartmentFactory(name="广安区民政局")
    item = factories.ServiceItemFactory(name="最低生活保障审核确认", department=department)
    guide = factories.ServiceGuidePageFactory(
        parent=township, item=item, window=window, mode_home_visit=True, mode_proxy=True
    )
    form = factories.DocumentFactory(title="低保申请表")
    guide.materials.add(
        GuideMaterial(
            name="户口簿",
            sort_order=1,
            material_type=MaterialType.BOTH,
            copies=1,
            necessity=MaterialNecessity.REQUIRED,
            notes="全家成员页",
        )
    )
    guide.materials.add(
        GuideMaterial(
            name="低保申请书",
            sort_order=2,
            copies=2,
            necessity=MaterialNecessity.REQUIRED,
            blank_form=form,
        )
    )
    guide.materials.add(
        GuideMaterial(
            name="残疾人证",
            sort_order=3,
            copies=1,
            necessity=MaterialNecessity.DEFERRABLE,
            notes="如有",
        )
    )
    guide.materials.add(
        GuideMaterial(name="收入证明", sort_order=4, copies=1, necessity=MaterialNecessity.OPTIONAL)
    )
    standard = factories.FeeStandardFactory(
        name="证书工本费", amount=Decimal("5.00"), basis_document="川价费〔2018〕12号"
    )
    guide.fees.add(GuideFee(fee_standard=standard))
    guide.fee_status = FeeStatus.CHARGED
    guide.legal_bases.add(
        GuideLegalBasis(
            legal_basis=factories.LegalBasisFactory(
                title="社会救助暂行办法",
                document_number="国务院令第649号",
                article="第十一条",
                status=BasisStatus.AMENDED,
            )
        )
    )
    guide.faqs.add(GuideFAQ(question="外出务工可以申请吗？", answer="可以，由家人代为申请。"))
    guide.save()
    guide.save_revision().publish()
    guide.refresh_from_db()
    return guide


@pytest.fixture
def notice_index(township):
    return factories.NoticeIndexPageFactory(parent=township, introduction="本镇的通知与公示。")


@pytest.fixture
def village(township):
    return factories.VillageStationPageFactory(
        parent=township,
        title="石板村",
        code="511602101201",
        agent_name="王代办",
        agent_phone="13912345678",
    )


@pytest.fixture
def notices(notice_index, village):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    open_posting = factories.NoticePageFactory(
        parent=notice_index,
        title="2025年第三季度低保拟保对象公示",
        kind=NoticeKind.POSTING,
        posting_start=today - day,
        posting_end=today + 5 * day,
        objection_phone="0826-2600111",
    )
    closed_posting = factories.NoticePageFactory(
        parent=notice_index,
        title="临时救助对象公示",
        kind=NoticeKind.POSTING,
        posting_start=today - 20 * day,
        posting_end=today - 14 * day,
        date=today - 20 * day,
    )
    van = factories.NoticePageFactory(
        parent=notice_index, title="流动服务车下村安排", kind=NoticeKind.VAN_SCHEDULE
    )
    van.van_stops.add(
        VanStop(
            village=village,
            date=today + 3 * day,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(11, 30),
            location="石板村村委会",
            services="社保认证、医保缴费",
        )
    )
    van.save()
    return {"open": open_posting, "closed": closed_posting, "van": van}


@pytest.fixture
def everything(portal, township, other_township, rich_guide, notices, village):
    """A county with three kinds of township and a full township: for whole-site checks."""
    factories.TownshipPageFactory(parent=portal, title="浓洄街道", code="511602001")
    factories.TownshipPageFactory(parent=portal, title="龙安乡", code="511602207")
    PortalPopularItem.objects.create(page=portal, item=rich_guide.item, label="低保申请")
    return {
        "portal": portal,
        "township": township,
        "guide": rich_guide,
        **notices,
        "village": village,
    }


def all_urls(everything):
    portal = everything["portal"]
    guide = everything["guide"]
    return [
        portal.url,
        portal.url + "items/",
        portal.url + "items/?q=低保",
        f"{portal.url}items/{guide.item_id}/",
        everything["township"].url,
        guide.url,
        guide.url + "?view=print",
        guide.url + "?view=slip",
        everything["open"].get_parent().url,
        everything["open"].url,
        everything["van"].url,
        everything["village"].url,
    ]


# ---------------------------------------------------------------- whole site


def test_every_page_is_zh_hans_accessible_and_self_contained(client, everything):
    for url in all_urls(everything):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        doc = BeautifulSoup(html, "html.parser")
        assert doc.html["lang"] == "zh-Hans", url
        assert len(doc.find_all("main")) == 1, url
        assert len(doc.find_all("h1")) == 1, url
        viewport = doc.find("meta", attrs={"name": "viewport"})["content"]
        assert "user-scalable" not in viewport and "maximum-scale" not in viewport, url
        # No resources or links on other hosts: the site must work on an intranet.
        for host in re.findall(r"(?:https?:)?//([^/\s\"'<>]+)", html):
            assert host in {"testserver", "localhost"}, (url, host)
        for img in doc.find_all("img"):
            assert img.get("alt") is not None, (url, str(img))
        for field in doc.find_all(["input", "select", "textarea"]):
            if field.get("type") in {"hidden", "submit", "button"}:
                continue
            labelled = field.get("aria-label") or (
                field.get("id") and doc.find("label", attrs={"for": field["id"]})
            )
            assert labelled, (url, str(field))
        ids = [node["id"] for node in doc.find_all(id=True)]
        assert len(ids) == len(set(ids)), (url, ids)
        for link in doc.find_all("a", href=re.compile(r"^#.")):
            assert doc.find(id=link["href"][1:]) is not None, (url, link["href"])


def test_layout_has_skip_link_landmarks_and_footer_contacts(client, township, guide):
    doc = soup(client.get(guide.url))
    skip = doc.find("a", class_="skip-link")
    assert skip["href"] == "#main" and doc.find("main", id="main")
    header = text_of(doc.find("header", class_="site-header"))
    assert "广安区便民服务网" in header and "官盛镇" in header
    footer = doc.find("footer")
    assert township.address in text_of(footer)
    assert footer.find("a", href="tel:" + township.consultation_phone.replace("-", ""))
    crumbs = [text_of(li) for li in doc.select(".breadcrumb li")]
    assert crumbs == ["广安区便民服务网", "官盛镇", guide.title]
    assert doc.select_one(".breadcrumb [aria-current=page]").get_text() == guide.title


# ---------------------------------------------------------------- portal


def test_portal_groups_townships_by_kind_and_offers_search(client, everything):
    portal = everything["portal"]
    doc = soup(client.get(portal.url))
    section = doc.find(id="townships")
    groups = [text_of(h) for h in section.find_all("h3")]
    assert groups == ["街道", "镇", "乡"]
    tiles = [text_of(a) for a in section.select("a.tile")]
    assert tiles == ["浓洄街道", "官盛镇", "协兴镇", "龙安乡"]
    form = doc.find("form", role="search")
    assert form["method"] == "get" and form["action"] == "/search/"
    assert form.find("input", attrs={"name": "q"})
    assert "搜索事项" in text_of(form)
    popular = doc.find(id="popular-title").find_parent("section")
    link = popular.find("a", string="低保申请")
    assert link["href"] == f"{portal.url}items/{everything['guide'].item_id}/"


# ---------------------------------------------------------------- township


def test_township_page_shows_center_windows_guides_notices_and_villages(client, everything, window):
    township = everything["township"]
    other = factories.ServiceGuidePageFactory(
        parent=township,
        item=factories.ServiceItemFactory(
            name="农村建房审批", department=factories.DepartmentFactory(name="广安区自然资源局")
        ),
    )
    doc = soup(client.get(township.url))
    assert text_of(doc.find("h1")) == "官盛镇便民服务中心"
    center = text_of(doc.find(id="center-title").find_parent("section"))
    assert township.address in center and township.hours in center
    assert doc.find("a", href="tel:" + township.supervision_phone.replace("-", ""))
    windows = text_of(doc.find(id="windows"))
    assert "3号窗口 社会事务窗口" in windows and "李芳" in windows and "社会救助" in windows
    guides = doc.find(id="guides")
    departments = [text_of(h) for h in guides.find_all("h3")]
    assert departments == sorted(departments) and {"广安区民政局", "广安区自然资源局"} <= set(
        departments
    )
    land = guides.find("h3", string="广安区自然资源局").find_next_sibling("ul")
    assert land.find("a", href=other.url)
    notices = doc.find(id="notices")
    assert "2025年第三季度低保拟保对象公示" in text_of(notices)
    assert notices.find("a", href=everything["open"].get_parent().url)
    villages = doc.find(id="villages")
    assert "石板村" in text_of(villages) and villages.find("a", href="tel:13912345678")


def test_township_page_hides_draft_guides(client, township, guide):
    draft = factories.ServiceGuidePageFactory(parent=township, live=False, title="未发布指南")
    html = client.get(township.url).content.decode()
    assert guide.title in html and draft.title not in html


# ---------------------------------------------------------------- guide


def test_guide_shows_the_six_disclosures_in_order_with_anchors(client, rich_guide):
    doc = soup(client.get(rich_guide.url))
    sections = doc.select("section.guide-section")
    headings = [text_of(s.find("h2")) for s in sections]
    six = [h for h in headings if any(name in h for name in SIX_HEADINGS)]
    assert [next(n for n in SIX_HEADINGS if n in h) for h in six] == SIX_HEADINGS
    assert headings[:6] == six  # the six come first
    assert [s["id"] for s in sections][:6] == [
        "item",
        "procedure",
        "materials",
        "commitment",
        "fee",
        "basis",
    ]
    after = headings[6:]
    assert after == [
        "办理结果",
        "办理地点与时间",
        "咨询电话与监督投诉电话",
        "救济途径",
        "常见问题",
        "公开信息变更记录",  # the public change history of the disclosures (transparency)
    ]
    toc = [a["href"] for a in doc.select("nav.toc a")]
    assert toc == ["#" + s["id"] for s in sections]


def test_guide_sections_carry_the_disclosed_values(client, rich_guide, window):
    doc = soup(client.get(rich_guide.url))

    def section(sid):
        return text_of(doc.find("section", id=sid))

    item = section("item")
    assert "最低生活保障审核确认" in item and "自然人" in item and "户籍在本乡镇" in item
    assert "官盛镇便民服务中心" in item and "广安区民政局" in item
    procedure = doc.find("section", id="procedure")
    steps = [text_of(li) for li in procedure.select("li.step")]
    assert len(steps) == 2 and "第1步 受理" in steps[0] and "乡镇便民服务中心" in steps[0]
    assert "19个工作日" in steps[1]
    materials = doc.find("section", id="materials").find("table")
    rows = [text_of(tr.find("th")) for tr in materials.tbody.find_all("tr")]
    assert rows == [
        "1. 申请人居民身份证",
        "2. 户口簿",
        "3. 低保申请书",
        "4. 残疾人证",
        "5. 收入证明",
    ]
    assert "容缺（可后补）" in text_of(materials) and "原件和复印件" in text_of(materials)
    assert materials.find("a", string="下载空白表格")["href"].startswith("/documents/")
    commitment = section("commitment")
    assert "30个工作日" in commitment and "20个工作日" in commitment and "承诺件" in commitment
    assert "需核验申请人身份证件原件" in commitment and "上门办理" in commitment
    fee = section("fee")
    assert "证书工本费" in fee and "5.00" in fee and "川价费〔2018〕12号" in fee
    basis = doc.find("section", id="basis")
    assert "《社会救助暂行办法》第十一条" in text_of(basis)
    assert basis.find(class_="badge-amended").get_text() == "已修订"
    result = doc.find("section", id="result")
    assert "审批决定书" in text_of(result) and result.find("a", string="查看结果样本")
    assert "3号窗口（社会事务窗口）" in section("place")
    contact = doc.find("section", id="contact")
    assert contact.find("a", href=re.compile(r"^tel:0826"))
    remedy = section("remedy")
    assert "广安区人民政府" in remedy and "广安区人民法院" in remedy
    assert "外出务工可以申请吗" in section("faq")


def test_free_guide_says_so_explicitly(client, guide):
    doc = soup(client.get(guide.url))
    assert "不收费" in text_of(doc.find("section", id="fee"))
    assert doc.find("section", id="faq") is None  # no FAQ, no empty section


def test_guide_links_to_print_and_slip_and_marks_demo_content(client, township):
    demo = factories.ServiceGuidePageFactory(parent=township, is_demo=True)
    doc = soup(client.get(demo.url))
    assert "演示内容" in text_of(doc.find(class_="banner-demo"))
    hrefs = [a["href"] for a in doc.select(".actions a")]
    assert hrefs == ["?view=slip", "?view=print"]


def test_real_guide_has_no_demo_banner(client, guide):
    assert soup(client.get(guide.url)).find(class_="banner-demo") is None


def test_guide_page_query_count_stays_small(client, rich_guide, django_assert_max_num_queries):
    client.get(rich_guide.url)  # warm the site-root cache
    with django_assert_max_num_queries(30):
        response = client.get(rich_guide.url)
    assert response.status_code == 200


def test_draft_guide_is_404_for_anonymous(client, township):
    draft = factories.ServiceGuidePageFactory(parent=township, live=False)
    response = client.get(township.url + draft.slug + "/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = client.get(township.url + draft.slug + "/?view=slip")
    assert response.status_code == 404


# ---------------------------------------------------------------- printable view and slip


def test_print_view_has_the_whole_guide_and_no_navigation(client, rich_guide):
    response = client.get(rich_guide.url + "?view=print")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    doc = soup(response)
    assert doc.find("nav") is None
    assert doc.find("header", class_="site-header") is None
    assert doc.find("footer") is None
    assert "noindex" in doc.find("meta", attrs={"name": "robots"})["content"]
    headings = [text_of(s.find("h2")) for s in doc.select("section.guide-section")]
    assert [next(n for n in SIX_HEADINGS if n in h) for h in headings[:6]] == SIX_HEADINGS


def test_slip_lists_every_material_and_what_to_sign(client, rich_guide):
    response = client.get(rich_guide.url + "?view=slip")
    assert response.status_code == 200
    doc = soup(response)
    assert doc.find("nav") is None
    assert "noindex" in doc.find("meta", attrs={"name": "robots"})["content"]
    table = doc.find("table", class_="slip-materials")
    names = [text_of(tr.find("th")) for tr in table.tbody.find_all("tr")]
    assert names == [m.name for m in rich_guide.materials.all()]
    assert len(names) == 5
    rows = {text_of(tr.find("th")): text_of(tr) for tr in table.tbody.find_all("tr")}
    assert "原件和复印件" in rows["户口簿"] and "全家成员页" in rows["户口簿"]
    assert "容缺（可后补）" in rows["残疾人证"]
    assert "2" in rows["低保申请书"]
    text = text_of(doc)
    assert "本告知单一次性告知您办理该事项所需的全部材料" in text
    assert "最低生活保障审核确认" in text and "官盛镇便民服务中心" in text
    assert "3号窗口（社会事务窗口）" in text and "20个工作日" in text
    assert "窗口工作人员（签字）" in text and "告知日期" in text
    assert doc.find("a", href=re.compile(r"^tel:"))


def test_unknown_view_parameter_shows_the_normal_page(client, guide):
    doc = soup(client.get(guide.url + "?view=nonsense"))
    assert doc.find("header", class_="site-header") is not None


# ---------------------------------------------------------------- notices


def test_notice_index_lists_kinds_and_posting_states(client, notices):
    index = notices["open"].get_parent()
    response = client.get(index.url)
    doc = soup(response)
    items = {text_of(li.find("h3")): li for li in doc.select("li.notice-item")}
    assert set(items) == {
        "2025年第三季度低保拟保对象公示",
        "临时救助对象公示",
        "流动服务车下村安排",
    }
    assert (
        items["2025年第三季度低保拟保对象公示"].find(class_="badge-posting-open").get_text()
        == "公示中"
    )
    assert items["临时救助对象公示"].find(class_="badge-posting-closed").get_text() == "已结束"
    assert "公示期" in text_of(items["临时救助对象公示"])
    assert (
        items["流动服务车下村安排"].find(class_="badge-kind-van_schedule").get_text() == "巡回服务"
    )
    assert items["流动服务车下村安排"].find(class_=re.compile("badge-posting")) is None
    alternate = doc.find("link", rel="alternate")
    assert alternate["type"] == "application/rss+xml" and alternate["href"] == index.url + "feed/"
    assert doc.find("a", href=index.url + "feed/")


def test_upcoming_posting_is_labelled_not_started(client, notice_index):
    today = timezone.localdate()
    factories.NoticePageFactory(
        parent=notice_index,
        kind=NoticeKind.POSTING,
        posting_start=today + datetime.timedelta(days=2),
        posting_end=today + datetime.timedelta(days=8),
    )
    doc = soup(client.get(notice_index.url))
    assert doc.find(class_="badge-posting-upcoming").get_text() == "未开始"


def test_feed_is_valid_rss_with_the_notices(client, notices):
    index = notices["open"].get_parent()
    response = client.get(index.url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "官盛镇 通知公告"
    items = channel.findall("item")
    titles = [i.findtext("title") for i in items]
    assert "2025年第三季度低保拟保对象公示" in titles and "流动服务车下村安排" in titles
    by_title = {i.findtext("title"): i for i in items}
    assert (
        by_title["流动服务车下村安排"].findtext("link") == "http://testserver" + notices["van"].url
    )
    assert by_title["流动服务车下村安排"].findtext("category") == "巡回服务"


def test_feed_leaves_out_unpublished_notices(client, notice_index):
    factories.NoticePageFactory(parent=notice_index, title="草稿通知", live=False)
    factories.NoticePageFactory(parent=notice_index, title="已发布通知")
    content = client.get(notice_index.url + "feed/").content.decode()
    assert "已发布通知" in content and "草稿通知" not in content


def test_posting_notice_shows_period_and_objection_phone(client, notices):
    doc = soup(client.get(notices["open"].url))
    box = doc.find(class_="posting-box")
    assert "公示中" in text_of(box) and "共 7 天" in text_of(box)
    assert box.find("a", href="tel:08262600111")
    assert "测试通知正文" in text_of(doc.find(class_="rich-text"))
    crumbs = [text_of(li) for li in doc.select(".breadcrumb li")]
    assert crumbs[1:] == ["官盛镇", "通知公告", "2025年第三季度低保拟保对象公示"]


def test_van_schedule_notice_has_a_table_of_stops(client, notices, village):
    doc = soup(client.get(notices["van"].url))
    table = doc.find("table", class_="van")
    headers = [text_of(th) for th in table.thead.find_all("th")]
    assert headers == ["村（社区）", "日期", "时间", "服务地点", "服务内容"]
    row = text_of(table.tbody.find("tr"))
    assert "石板村" in row and "09:00–11:30" in row and "石板村村委会" in row and "医保缴费" in row
    assert table.find("a", href=village.url)


# ---------------------------------------------------------------- village station


def test_village_station_page_shows_agent_and_coming_van_stops(client, notices, village):
    doc = soup(client.get(village.url))
    assert text_of(doc.find("h1")) == "石板村便民服务站"
    assert "王代办" in text_of(doc) and doc.find("a", href="tel:13912345678")
    assert "石板村村委会" in text_of(doc) and doc.find("a", href=notices["van"].url)
    header = text_of(doc.find("header", class_="site-header"))
    assert "官盛镇" in header


# ---------------------------------------------------------------- catalog


def test_catalog_search_filters_by_name(client, portal):
    factories.ServiceItemFactory(name="城乡居民最低生活保障")
    factories.ServiceItemFactory(name="农村宅基地审批")
    doc = soup(client.get(portal.url + "items/", {"q": "生活保障"}))
    names = [text_of(li.find("a")) for li in doc.select("li.item-row")]
    assert names == ["城乡居民最低生活保障"]
    assert doc.find("input", attrs={"name": "q"})["value"] == "生活保障"
    assert "共 1 项" in text_of(doc.find(class_="result-count"))
    everything = soup(client.get(portal.url + "items/"))
    assert len(everything.select("li.item-row")) == 2


def test_catalog_paginates_and_keeps_the_query(client, portal):
    department = factories.DepartmentFactory(name="广安区人社局")
    for n in range(55):
        factories.ServiceItemFactory(name=f"社保事项{n:02d}", department=department)
    doc = soup(client.get(portal.url + "items/", {"q": "社保"}))
    assert len(doc.select("li.item-row")) == 50
    next_link = doc.find("a", rel="next")
    assert next_link["href"] == "?q=%E7%A4%BE%E4%BF%9D&page=2"
    second = soup(client.get(portal.url + "items/", {"q": "社保", "page": 2}))
    assert len(second.select("li.item-row")) == 5


def test_catalog_item_shows_codes_and_publishing_townships(client, portal, guide, other_township):
    factories.ServiceGuidePageFactory(parent=other_township, item=guide.item)
    factories.ServiceGuidePageFactory(parent=other_township, live=False)
    item = guide.item
    doc = soup(client.get(f"{portal.url}items/{item.pk}/"))
    facts = text_of(doc.find("dl", class_="facts"))
    assert (
        item.local_code in facts and "公共服务" in facts and "县级" in facts and "自然人" in facts
    )
    assert item.department.name in facts
    links = doc.find(id="guides-title").find_parent("section").find_all("a")
    assert [text_of(a) for a in links] == ["官盛镇办事指南", "协兴镇办事指南"]
    assert links[0]["href"] == guide.url


def test_unknown_catalog_item_is_404(client, portal):
    response = client.get(portal.url + "items/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


# ---------------------------------------------------------------- elder mode


def test_elder_mode_is_switched_by_a_link_and_remembered(client, guide):
    doc = soup(client.get(guide.url))
    assert "elder" not in (doc.html.get("class") or [])
    toggle = doc.find("a", class_="elder-toggle")
    assert text_of(toggle) == "长辈模式" and toggle["href"] == guide.url + "?elder=1"
    response = client.get(toggle["href"])
    assert response.cookies["elder"].value == "1"
    assert "elder" in soup(response).html["class"]
    doc = soup(client.get(guide.url))  # the cookie keeps it on
    assert "elder" in doc.html["class"]
    assert text_of(doc.find("a", class_="elder-toggle")) == "退出长辈模式"
    response = client.get(guide.url + "?elder=0")
    assert response.cookies["elder"].value == ""
    assert "elder" not in (soup(client.get(guide.url)).html.get("class") or [])
    assert "Cookie" in response["Vary"]


# ---------------------------------------------------------------- stylesheet

CSS = Path(django_settings.BASE_DIR) / "site" / "static" / "css" / "site.css"

# (foreground, background) pairs of custom properties used together in site.css.
COLOUR_PAIRS = [
    ("text", "bg"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("link", "bg"),
    ("link", "surface"),
    ("on-brand", "brand"),
    ("on-brand", "brand-dark"),
    ("brand", "bg"),
    ("focus-text", "focus"),
    ("on-footer", "footer-bg"),
    ("good-text", "good-bg"),
    ("warn-text", "warn-bg"),
    ("on-bad", "bad"),
    ("neutral-text", "neutral-bg"),
    ("on-van", "van"),
    ("info-text", "info-bg"),
    ("on-brand", "good-text"),
]


def _luminance(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _variables(block):
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))


def test_contrast_helper_can_fail():
    assert contrast("#777777", "#ffffff") < 4.5 < contrast("#595959", "#ffffff")


def test_stylesheet_colour_pairs_meet_wcag_aa_in_both_modes():
    css = CSS.read_text()
    root = _variables(re.search(r":root\s*\{(.*?)\}", css, re.S).group(1))
    elder = {**root, **_variables(re.search(r"html\.elder\s*\{(.*?)\}", css, re.S).group(1))}
    for variables in (root, elder):
        for fg, bg in COLOUR_PAIRS:
            ratio = contrast(variables[fg], variables[bg])
            assert ratio >= 4.5, (fg, bg, round(ratio, 2))
    # Elder mode asks for more: 7:1 (AAA) for body text.
    assert contrast(elder["text"], elder["bg"]) >= 7
    assert contrast(elder["muted"], elder["bg"]) >= 7


def test_stylesheet_needs_nothing_from_outside():
    css = CSS.read_text()
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert '"Noto Sans CJK SC"' in css and "@media print" in css and "A4" in css
    assert re.search(r"html\s*\{[^}]*font-size:\s*112\.5%", css)  # 18px base


# ---------------------------------------------------------------- language and previews


def test_dates_follow_a_chinese_browser(client, notices):
    index = notices["open"].get_parent()
    doc = soup(client.get(index.url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"))
    assert doc.html["lang"] == "zh-Hans"
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text_of(doc.find("time"))


def test_previews_render_for_editors(rich_guide, notices):
    for page in (rich_guide, notices["van"]):
        response = page.make_preview_request()
        assert response.status_code == 200
        assert page.title in response.content.decode()


def test_previews_show_the_township_layout_and_van_schedule(rich_guide, notices):
    doc = soup(rich_guide.make_preview_request())
    township = rich_guide.get_parent().title
    assert township in text_of(doc.find("header"))
    assert township in text_of(doc.find("footer"))
    van = notices["van"]
    doc = soup(van.make_preview_request())
    assert doc.find("table") is not None  # the van timetable
    stop = van.van_stops.first()
    assert stop.village.title in text_of(doc.find("table"))


def test_server_error_page_stands_alone():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")  # rendered without a request, as Django does
    assert (
        'lang="zh-Hans"' in html and "系统暂时出现问题" in html and "/static/css/site.css" in html
    )
