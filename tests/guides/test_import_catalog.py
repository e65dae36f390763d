"""The catalog import: the real file, re-imports, XLSX, and every kind of malformed file."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from guides import factories
from guides.demo.sources import shared_data_dir
from guides.importers import CatalogImportError, import_catalog
from guides.models import Department, ServiceItem

pytestmark = pytest.mark.django_db

CATALOG = shared_data_dir() / "guangan_511602_service_items.csv"
HEADER = [
    "department",
    "main_item",
    "item_name",
    "task_type_code",
    "task_type_name_inferred",
    "sczwfw_item_code",
    "area_code",
    "dept_code",
    "link",
]


def good_row(n, **overrides):
    row = {
        "department": "区民政局",
        "main_item": "未分类",
        "item_name": f"测试事项{n}",
        "task_type_code": "20",
        "task_type_name_inferred": "公共服务",
        "sczwfw_item_code": f"512C00{n:08d}-511602000000-000-11511301MB1234567X-1-00",
        "area_code": "511602000000",
        "dept_code": "11511301MB1234567X",
        "link": f"http://www.sczwfw.gov.cn/jiq/front/item?itemCode={n}",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, header=HEADER, bom=False):
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [row.get(column, "") for column in header] if isinstance(row, dict) else row
        )
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def write(tmp_path, data, name="catalog.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def counts():
    return ServiceItem.objects.count(), Department.objects.count()


def refused(path):
    """Import a file that must be refused; check nothing was written and return the errors."""
    before = counts()
    with pytest.raises(CatalogImportError) as excinfo:
        import_catalog(path)
    assert counts() == before
    return excinfo.value.errors


# --- the real catalog --------------------------------------------------------------------


def test_real_catalog_imports_and_reimports_in_place(tmp_path):
    result = import_catalog(CATALOG)
    assert (result.created, result.updated, result.unchanged) == (1135, 0, 0)
    assert result.departments_created == 34
    assert counts() == (1135, 34)

    item = ServiceItem.objects.get(
        local_code="511A0138000000-511602000000-000-115113010833722043-1-00"
    )
    assert item.name == "适龄儿童、少年因身体状况需要延缓入学或者休学审批"
    assert item.item_type == "01"
    assert item.department.name == "区教科体局"
    assert item.department.code == "083372204"
    assert item.main_item == ""  # 未分类
    assert item.area_code == "511602000000"
    assert item.source_url.startswith("http://www.sczwfw.gov.cn/")
    assert item.basic_code == item.implementation_code == ""
    assert ServiceItem.objects.filter(main_item="企业设立、变更、注销登记").count() == 35
    assert ServiceItem.objects.filter(item_type="20").count() == 348
    # Most of its rows carry this code; a few carry variants with a suffix.
    assert Department.objects.get(name="区人社局").code == "1151130108778239R"

    again = import_catalog(CATALOG)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1135)
    assert again.departments_created == 0
    assert counts() == (1135, 34)

    text = CATALOG.read_text(encoding="utf-8")
    old = "适龄儿童、少年因身体状况需要延缓入学或者休学审批"
    changed = write(tmp_path, text.replace(old, old + "（新）", 1).encode("utf-8"))
    third = import_catalog(changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1134)
    assert counts() == (1135, 34)
    item.refresh_from_db()
    assert item.name == old + "（新）"


def test_real_catalog_dry_run_writes_nothing():
    result = import_catalog(CATALOG, dry_run=True)
    assert result.dry_run
    assert (result.created, result.departments_created) == (1135, 34)
    assert counts() == (0, 0)


# --- mapping details -----------------------------------------------------------------------


def test_csv_with_bom_and_two_digit_type_codes(tmp_path):
    path = write(
        tmp_path,
        csv_bytes([good_row(1, task_type_code="01", task_type_name_inferred="行政许可")], bom=True),
    )
    import_catalog(path)
    assert ServiceItem.objects.get().item_type == "01"


def test_optional_code_columns_are_imported_and_kept_when_absent(tmp_path):
    header = [*HEADER, "basic_code", "implementation_code"]
    row = good_row(
        1, basic_code="00000000001X", implementation_code="11511301MB1234567X400000000001X"
    )
    import_catalog(write(tmp_path, csv_bytes([row], header=header)))
    item = ServiceItem.objects.get()
    assert (item.basic_code, item.implementation_code) == (
        "00000000001X",
        row["implementation_code"],
    )

    result = import_catalog(write(tmp_path, csv_bytes([good_row(1, item_name="改名")]), "b.csv"))
    assert result.updated == 1
    item.refresh_from_db()
    assert item.name == "改名"
    assert item.basic_code == "00000000001X"  # no column, no change


def test_department_code_filled_only_when_blank(tmp_path):
    Department.objects.create(name="区民政局", code="")
    Department.objects.create(name="区教科体局", code="ADMINSET")
    rows = [good_row(1), good_row(2, department="区教科体局", dept_code="FROMFILE")]
    result = import_catalog(write(tmp_path, csv_bytes(rows)))
    assert (result.departments_created, result.departments_updated) == (0, 1)
    assert Department.objects.get(name="区民政局").code == "11511301MB1234567X"
    assert Department.objects.get(name="区教科体局").code == "ADMINSET"


def test_items_move_department_and_unlisted_items_stay(tmp_path):
    other = factories.ServiceItemFactory()
    import_catalog(write(tmp_path, csv_bytes([good_row(1)])))
    result = import_catalog(
        write(tmp_path, csv_bytes([good_row(1, department="区卫健局")]), "b.csv")
    )
    assert result.updated == 1
    assert result.not_in_file == 1
    assert (
        ServiceItem.objects.get(local_code=good_row(1)["sczwfw_item_code"]).department.name
        == "区卫健局"
    )
    assert ServiceItem.objects.filter(pk=other.pk).exists()


def test_chinese_header_aliases(tmp_path):
    header = ["部门", "事项名称", "事项类型编码", "事项编码", "区划代码", "部门编码", "链接"]
    row = ["区民政局", "临时救助", "5", "X-1", "511602000000", "", ""]
    import_catalog(write(tmp_path, csv_bytes([row], header=header)))
    item = ServiceItem.objects.get()
    assert (item.name, item.item_type, item.local_code) == ("临时救助", "05", "X-1")


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("说明").append(["这张表不会被读取"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_import_with_numeric_cells(tmp_path):
    rows = [
        HEADER,
        ["区民政局", "未分类", "最低生活保障审核", 5, "行政给付", "G-1", 511602000000, "", ""],
        [],  # blank rows are skipped but still counted
        [
            "区民政局",
            "",
            "临时救助",
            20.0,
            "公共服务",
            "G-2",
            "511602000000",
            "",
            "https://example.cn/a",
        ],
    ]
    result = import_catalog(write(tmp_path, xlsx_bytes(rows), "catalog.xlsx"))
    assert result.created == 2
    item = ServiceItem.objects.get(local_code="G-1")
    assert (item.item_type, item.area_code) == ("05", "511602000000")
    assert ServiceItem.objects.get(local_code="G-2").item_type == "20"


def test_xlsx_errors_name_the_spreadsheet_row(tmp_path):
    rows = [
        HEADER,
        ["区民政局", "", "甲", 1, "", "G-1", "511602000000", "", ""],
        [],
        ["区民政局", "", "乙", 3, "", "G-2", "511602000000", "", ""],
    ]
    errors = refused(write(tmp_path, xlsx_bytes(rows), "catalog.xlsx"))
    assert errors == [
        "第 4 行：事项类型编码“3”不在目录代码表中（应为 1、5、7、8、9、10、20 之一）。"
    ]


def test_import_from_open_file():
    with io.BytesIO(csv_bytes([good_row(1)])) as handle:
        assert import_catalog(handle).created == 1


# --- malformed files: refused whole, every error with its row --------------------------------

MANY = 300  # good rows before the bad one: the bad row is row MANY + 2
LAST = MANY + 2

BAD_ROWS = {
    "empty name": (good_row(9999, item_name=""), "事项名称为空"),
    "empty code": (good_row(9999, sczwfw_item_code=""), "事项编码为空"),
    "unknown type": (
        good_row(9999, task_type_code="3", task_type_name_inferred=""),
        "事项类型编码“3”不在目录代码表中（应为 1、5、7、8、9、10、20 之一）。",
    ),
    "type name disagrees": (good_row(9999, task_type_code="1"), "与事项类型名称“公共服务”不一致"),
    "duplicate code": (good_row(0), "与第 2 行重复"),
    "short area code": (good_row(9999, area_code="511602"), "区划代码“511602”应为 12 位数字"),
    "overlong name": (good_row(9999, item_name="长" * 301), "事项名称超过 300 个字符"),
    "overlong department": (good_row(9999, department="部" * 101), "部门超过 100 个字符"),
    "bad link": (good_row(9999, link="not a url"), "不是有效的网址"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_bad_last_row_refuses_whole_file(tmp_path, case):
    factories.ServiceItemFactory(name="原有事项")
    bad, expected = BAD_ROWS[case]
    path = write(tmp_path, csv_bytes([good_row(n) for n in range(MANY)] + [bad]))
    errors = refused(path)
    assert len(errors) == 1
    assert errors[0].startswith(f"第 {LAST} 行：")
    assert expected in errors[0]
    assert ServiceItem.objects.get().name == "原有事项"


def test_every_bad_row_is_listed(tmp_path):
    rows = [
        good_row(1),
        good_row(2, item_name=""),
        good_row(3),
        good_row(4, area_code="x", task_type_code="99"),
    ]
    errors = refused(write(tmp_path, csv_bytes(rows)))
    assert [e.split("：")[0] for e in errors] == ["第 3 行", "第 5 行", "第 5 行"]


def test_missing_columns(tmp_path):
    header = [c for c in HEADER if c not in ("item_name", "area_code")]
    errors = refused(write(tmp_path, csv_bytes([good_row(1)], header=header)))
    assert len(errors) == 1
    assert "缺少必需的列" in errors[0]
    assert "item_name（事项名称）" in errors[0] and "area_code（区划代码）" in errors[0]


def test_unquoted_comma_shifts_columns(tmp_path):
    data = (
        csv_bytes([good_row(1)])
        + "区民政局,未分类,甲,乙,20,公共服务,C-9,511602000000,D1,http://a.cn/x\r\n".encode()
    )
    errors = refused(write(tmp_path, data))
    assert errors[0].startswith("第 3 行：")
    assert "第 10 列有内容" in errors[0]


def test_short_row(tmp_path):
    data = csv_bytes([good_row(1)]) + "区民政局,未分类,甲\r\n".encode()
    assert refused(write(tmp_path, data))[0].startswith("第 3 行：只有 3 列")


def test_undecodable_bytes_name_the_row(tmp_path):
    data = csv_bytes([good_row(1)]) + "区民政局,,甲,20,,C-9,511602000000,,\r\n".encode("gbk")
    errors = refused(write(tmp_path, data))
    assert len(errors) == 1
    assert errors[0].startswith("第 3 行：含有无法按 UTF-8 解码的字节")


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "catalog.csv", "文件为空"),
        (b"\xef\xbb\xbf\r\n", "catalog.csv", "文件为空"),
        (",".join(HEADER).encode() + b"\r\n", "catalog.csv", "没有事项数据"),
        (b"\n\n" + ",".join(HEADER).encode(), "catalog.csv", "第 1 行应为表头"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "catalog.csv", "不是 CSV 或 XLSX"),
        (b"PK\x03\x04 this is no workbook", "catalog.xlsx", "不是有效的 XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "catalog.xls", ".xls"),
        (b"just some text\nwithout the columns\n", "catalog.csv", "缺少必需的列"),
    ],
)
def test_not_a_catalog(tmp_path, data, name, expected):
    errors = refused(write(tmp_path, data, name))
    assert expected in errors[0]


def test_missing_file(tmp_path):
    assert "找不到文件" in refused(tmp_path / "nope.csv")[0]


def test_failure_while_writing_rolls_back(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(ServiceItem.objects), "bulk_create", boom)
    with pytest.raises(RuntimeError):
        import_catalog(write(tmp_path, csv_bytes([good_row(1)])))
    assert counts() == (0, 0)  # the department created first was rolled back too


# --- the command ---------------------------------------------------------------------------


def test_command_reports_summary(tmp_path):
    out = io.StringIO()
    call_command(
        "import_catalog", str(write(tmp_path, csv_bytes([good_row(1), good_row(2)]))), stdout=out
    )
    assert "新增 2 个" in out.getvalue()
    assert "新建部门 1 个" in out.getvalue()
    assert ServiceItem.objects.count() == 2


def test_command_dry_run(tmp_path):
    out = io.StringIO()
    call_command(
        "import_catalog", str(write(tmp_path, csv_bytes([good_row(1)]))), "--dry-run", stdout=out
    )
    assert "试运行" in out.getvalue()
    assert "新增 1 个" in out.getvalue()
    assert counts() == (0, 0)


def test_command_fails_listing_errors_with_a_cap(tmp_path):
    rows = [good_row(n, item_name="") for n in range(60)]
    with pytest.raises(CommandError) as excinfo:
        call_command("import_catalog", str(write(tmp_path, csv_bytes(rows))))
    message = str(excinfo.value)
    assert "有 60 处错误，未导入任何数据" in message
    assert "第 2 行：事项名称为空。" in message
    assert "第 51 行：" in message and "第 52 行：" not in message
    assert "另有 10 处错误未列出" in message
    assert counts() == (0, 0)


def test_one_message_per_problem(tmp_path):
    errors = refused(write(tmp_path, csv_bytes([good_row(1, task_type_code="100")])))
    assert errors == [
        "第 2 行：事项类型编码“100”不在目录代码表中（应为 1、5、7、8、9、10、20 之一）。"
    ]
