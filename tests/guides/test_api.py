"""The JSON API at /api/v1/: shapes, filters, paging, what is hidden, and query counts."""

from decimal import Decimal

import pytest

from guides import factories
from guides.models import GuideFAQ, GuideFee, GuideMaterial
from guides.models.choices import FeeStatus, ItemType

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get_json(client, path, status=200, **params):
    response = client.get(API + path, params)
    assert response.status_code == status, response.content
    return response.json()


# --- OpenAPI and encoding ----------------------------------------------------------------


def test_openapi_lists_the_paths(client):
    schema = get_json(client, "/openapi.json")
    for path in ["/townships", "/items", "/guides", "/guides/{guide_id}"]:
        assert API + path in schema["paths"]
    params = {p["name"] for p in schema["paths"][API + "/items"]["get"]["parameters"]}
    assert {"limit", "offset", "department", "type", "q"} <= params


def test_chinese_is_readable_in_the_body(client, township):
    response = client.get(API + "/townships")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "官盛镇".encode() in response.content
    assert b"\\u" not in response.content


# --- townships -------------------------------------------------------------------------------


def test_townships_shape_and_counts(client, portal, guide, other_township):
    factories.TownshipPageFactory(parent=portal, title="浓洄街道", code="511602001")
    factories.TownshipPageFactory(parent=portal, title="未发布镇", code="511602199", live=False)
    factories.ServiceGuidePageFactory(parent=other_township, live=False)

    data = get_json(client, "/townships")
    assert data["count"] == 3
    assert [t["code"] for t in data["items"]] == ["511602001", "511602101", "511602102"]
    street, town, other = data["items"]
    assert (street["kind"], street["kind_code"]) == ("街道", "subdistrict")
    assert town == {
        "code": "511602101",
        "name": "官盛镇",
        "kind": "镇",
        "kind_code": "town",
        "url": "/guanshengzhen/",
        "center_name": "官盛镇便民服务中心",
        "address": guide.township.address,
        "hours": guide.township.hours,
        "consultation_phone": guide.township.consultation_phone,
        "supervision_phone": guide.township.supervision_phone,
        "guides_count": 1,
    }
    assert other["guides_count"] == 0  # its only guide is a draft


def test_paging_slices_but_count_is_total(client, township, other_township):
    data = get_json(client, "/townships", limit=1, offset=1)
    assert data["count"] == 2
    assert [t["code"] for t in data["items"]] == ["511602102"]
    assert get_json(client, "/townships", offset=5)["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset")],
)
def test_paging_out_of_range_is_422(client, township, params, field):
    detail = get_json(client, "/townships", status=422, **params)["detail"]
    assert detail[0]["loc"] == ["query", field]


def test_limit_500_is_allowed(client, township):
    assert get_json(client, "/items", limit=500)["count"] == 0


# --- items -----------------------------------------------------------------------------------


@pytest.fixture
def catalog(portal):
    civil = factories.DepartmentFactory(name="区民政局")
    health = factories.DepartmentFactory(name="区卫健局")
    return {
        "allowance": factories.ServiceItemFactory(
            name="最低生活保障审核", department=civil, item_type=ItemType.BENEFIT
        ),
        "relief": factories.ServiceItemFactory(
            name="临时救助", department=civil, item_type=ItemType.BENEFIT
        ),
        "birth": factories.ServiceItemFactory(
            name="生育登记",
            department=health,
            item_type=ItemType.PUBLIC_SERVICE,
            main_item="生育服务",
        ),
        "clinic": factories.ServiceItemFactory(
            name="医疗机构执业许可",
            department=health,
            item_type=ItemType.LICENSING,
            basic_code="00000000001X",
        ),
    }


def names(data):
    return [i["name"] for i in data["items"]]


def test_items_shape(client, portal, catalog):
    data = get_json(client, "/items")
    assert data["count"] == 4
    # By department name, then item name (code point order: 区卫健局 before 区民政局).
    assert names(data) == ["医疗机构执业许可", "生育登记", "临时救助", "最低生活保障审核"]
    clinic = catalog["clinic"]
    assert data["items"][0] == {
        "id": clinic.pk,
        "name": "医疗机构执业许可",
        "local_code": clinic.local_code,
        "basic_code": "00000000001X",
        "implementation_code": "",
        "item_type": "01",
        "item_type_name": "行政许可",
        "department": "区卫健局",
        "department_id": clinic.department_id,
        "main_item": "",
        "status": "in_use",
        "status_label": "在用",
        "url": f"{portal.url}items/{clinic.pk}/",
    }
    assert data["items"][1]["main_item"] == "生育服务"


def test_items_filters(client, catalog):
    civil = catalog["relief"].department
    assert names(get_json(client, "/items", department="区民政局")) == [
        "临时救助",
        "最低生活保障审核",
    ]
    assert get_json(client, "/items", department=str(civil.pk))["count"] == 2
    assert get_json(client, "/items", department="不存在的局")["count"] == 0
    assert names(get_json(client, "/items", type="1")) == ["医疗机构执业许可"]
    assert names(get_json(client, "/items", type="01")) == ["医疗机构执业许可"]
    assert get_json(client, "/items", type="05", department="区卫健局")["count"] == 0
    assert names(get_json(client, "/items", q="  救助 ")) == ["临时救助"]
    assert get_json(client, "/items", type="x1", status=422)["detail"][0]["loc"] == [
        "query",
        "type",
    ]


def test_items_query_is_capped_at_100_characters(client, portal):
    factories.ServiceItemFactory(name="长" * 100 + "名称")
    assert get_json(client, "/items", q="长" * 100 + "不在名称里")["count"] == 1


def test_items_paging(client, catalog):
    data = get_json(client, "/items", limit=2, offset=2)
    assert data["count"] == 4
    assert names(data) == ["临时救助", "最低生活保障审核"]


def test_items_without_a_portal_have_no_url(client, db):
    factories.ServiceItemFactory()
    assert get_json(client, "/items")["items"][0]["url"] is None


# --- guides ----------------------------------------------------------------------------------


def test_guides_list_shape_and_drafts_hidden(client, guide, township):
    draft = factories.ServiceGuidePageFactory(parent=township, live=False)
    data = get_json(client, "/guides")
    assert data["count"] == 1
    assert data["items"] == [
        {
            "id": guide.pk,
            "title": guide.title,
            "item_id": guide.item_id,
            "item_name": guide.item.name,
            "item_code": guide.item.local_code,
            "township_code": "511602101",
            "township_name": "官盛镇",
            "url": guide.url,
        }
    ]
    assert guide.url.startswith("/guanshengzhen/")
    assert draft.pk not in [g["id"] for g in data["items"]]


def test_guides_filter_by_township(client, township, other_township):
    mine = factories.ServiceGuidePageFactory(parent=township)
    theirs = factories.ServiceGuidePageFactory(parent=other_township)
    assert [g["id"] for g in get_json(client, "/guides", township="511602101")["items"]] == [
        mine.pk
    ]
    assert [g["id"] for g in get_json(client, "/guides", township="511602102")["items"]] == [
        theirs.pk
    ]
    assert get_json(client, "/guides", township="511602199")["count"] == 0
    get_json(client, "/guides", township="5116021", status=422)
    get_json(client, "/guides", township="abcdefghi", status=422)


def test_guides_list_has_no_n_plus_1(
    client, township, other_township, django_assert_max_num_queries
):
    for parent in [township, other_township] * 10:
        factories.ServiceGuidePageFactory(parent=parent)
    get_json(client, "/guides", limit=1)  # warm the site-root cache, as any earlier request would
    with django_assert_max_num_queries(6):
        data = get_json(client, "/guides", limit=20)
    assert data["count"] == 20
    assert [g["township_code"] for g in data["items"]].count("511602102") == 10
    assert all(g["item_code"] and g["url"] for g in data["items"])


def test_guides_paging(client, township):
    made = [factories.ServiceGuidePageFactory(parent=township) for _ in range(3)]
    data = get_json(client, "/guides", limit=2, offset=1)
    assert data["count"] == 3
    assert [g["id"] for g in data["items"]] == [made[1].pk, made[2].pk]


# --- one guide -------------------------------------------------------------------------------


def test_guide_detail(client, portal, guide, township):
    data = get_json(client, f"/guides/{guide.pk}")
    assert data["id"] == guide.pk
    assert data["url"] == guide.url
    assert data["township"] == {"code": "511602101", "name": "官盛镇"}
    assert data["item"]["local_code"] == guide.item.local_code
    assert data["item"]["url"] == f"{portal.url}items/{guide.item_id}/"
    assert data["is_demo"] is False

    applicant = data["applicant"]
    assert applicant["service_objects"] == [{"code": "1", "label": "自然人"}]
    assert applicant["conditions"] == ["户籍在本乡镇，符合本事项规定条件的居民。"]
    assert applicant["township_role"] == {"code": "forward", "label": "本中心受理，报上级部门审批"}
    assert applicant["deciding_body"] == "广安区民政局"

    steps = data["procedure"]["steps"]
    assert [s["name"] for s in steps] == ["受理", "审批"]
    assert steps[0]["time_limit"] == {
        "value": 1,
        "unit": "working_days",
        "unit_label": "个工作日",
        "display": "1个工作日",
    }

    material = data["materials"][0]
    assert material["name"] == "申请人居民身份证"
    assert (material["necessity"], material["necessity_label"]) == ("required", "必要")
    assert material["material_type_label"] == "原件"
    assert material["copies"] == 1
    assert material["blank_form_url"] is None

    commitment = data["commitment"]
    assert commitment["statutory_limit"]["display"] == "30个工作日"
    assert commitment["promised_limit"] == {
        "value": 20,
        "unit": "working_days",
        "unit_label": "个工作日",
        "display": "20个工作日",
        "note": "",
    }
    assert commitment["handling_class"] == {"code": "promised", "label": "承诺件"}
    assert commitment["max_visits"] == 1
    assert commitment["channels"] == {"window": True, "online": False, "post": False}
    assert commitment["online_depth"] == {"code": "0", "label": "不可网办"}
    assert commitment["appointment"] == {"available": False, "days": "", "daily_quota": None}
    assert commitment["service_modes"]["proxy"] is False

    assert data["fee"] == {"status": "free", "status_label": "不收费", "items": []}
    basis = data["legal_bases"][0]
    assert (basis["status"], basis["status_label"], basis["kind_label"]) == (
        "in_force",
        "现行有效",
        "行政法规",
    )
    assert basis["document_number"].startswith("国务院令第")

    result = data["result"]
    assert result["name"] == "审批决定书"
    assert result["type"] == {"code": "document", "label": "出文"}
    assert result["delivery"] == [{"code": "window", "label": "窗口领取"}]
    assert result["sample_url"].startswith("/documents/")

    assert data["contact"] == {
        "place": township.address,
        "hours": township.hours,
        "window": None,
        "consultation_phone": township.consultation_phone,
        "supervision_phone": township.supervision_phone,
    }
    assert data["remedies"] == {
        "reconsideration_body": "广安区人民政府",
        "litigation_court": "广安区人民法院",
    }
    assert data["faqs"] == []
    assert data["missing_disclosures"] == []
    assert data["last_published_at"]


def test_guide_detail_fees_window_forms_and_faqs(client, township):
    window = factories.ServiceWindowFactory(township=township, number="3", name="社会事务窗口")
    guide = factories.ServiceGuidePageFactory(parent=township, rows=False, live=False)
    standard = factories.FeeStandardFactory(name="工本费", amount=Decimal("5.50"), reducible=True)
    form = factories.DocumentFactory()
    guide.conditions.add(factories.models.GuideCondition(text="本镇居民"))
    guide.steps.add(
        factories.models.GuideStep(name="受理", actor="中心", time_limit_unit="on_the_spot")
    )
    guide.materials.add(GuideMaterial(name="申请表", blank_form=form, copies=2))
    guide.fees.add(GuideFee(fee_standard=standard, note="首次免费"))
    guide.legal_bases.add(
        factories.models.GuideLegalBasis(legal_basis=factories.LegalBasisFactory())
    )
    guide.faqs.add(GuideFAQ(question="要本人到场吗？", answer="需要。"))
    guide.fee_status = FeeStatus.CHARGED
    guide.window = window
    guide.place = "官盛镇便民服务中心二楼"
    guide.save_revision().publish()

    data = get_json(client, f"/guides/{guide.pk}")
    assert data["fee"]["status_label"] == "收费"
    assert data["fee"]["items"] == [
        {
            "name": "工本费",
            "amount": "5.50",
            "unit": "元/件",
            "basis_document": standard.basis_document,
            "issuing_authority": standard.issuing_authority,
            "reducible": True,
            "reduction_note": "",
            "in_force": True,
            "note": "首次免费",
        }
    ]
    assert data["materials"][0]["blank_form_url"] == form.url
    assert data["materials"][0]["copies"] == 2
    assert data["procedure"]["steps"][0]["time_limit"]["display"] == "当场办结"
    assert data["contact"]["window"] == {"number": "3", "name": "社会事务窗口"}
    assert data["contact"]["place"] == "官盛镇便民服务中心二楼"
    assert data["faqs"] == [{"question": "要本人到场吗？", "answer": "需要。"}]


def test_guide_detail_queries_are_bounded(client, guide, django_assert_max_num_queries):
    get_json(client, f"/guides/{guide.pk}")
    with django_assert_max_num_queries(14):
        get_json(client, f"/guides/{guide.pk}")


def test_guide_detail_404(client, township):
    draft = factories.ServiceGuidePageFactory(parent=township, live=False)
    for pk in [draft.pk, 999999]:
        data = get_json(client, f"/guides/{pk}", status=404)
        assert data == {"detail": "未找到该办事指南，或该指南尚未发布。"}
    get_json(client, f"/guides/{township.pk}", status=404)  # a page, but not a guide
