"""Import the county catalog of service items (事项目录) from CSV or XLSX.

The file has the shape of ``../shared/data/guangan_511602_service_items.csv``::

    department,main_item,item_name,task_type_code,task_type_name_inferred,
    sczwfw_item_code,area_code,dept_code,link

(optional extra columns ``basic_code`` and ``implementation_code``; Chinese header aliases such
as 部门, 事项名称, 事项编码 are accepted too). The whole file is validated first; a file with any
error is refused as a whole and nothing is written. Every error names its spreadsheet row
(the header is row 1). A valid file is written in one transaction with bulk queries, keyed by
``sczwfw_item_code`` → ``ServiceItem.local_code``, so importing again updates in place.

See docs/catalog-import.md.
"""

import csv
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.search.backends import get_search_backends

from .models import Department, ServiceItem
from .models.choices import ItemStatus, ItemType

logger = logging.getLogger(__name__)

# The type codes the catalog uses (its ``task_type_code``), mapped to ``ItemType`` by zero-padding.
CATALOG_TYPE_CODES = ("1", "5", "7", "8", "9", "10", "20")

# "Not classified" in ``main_item`` means the item has no main item.
NO_MAIN_ITEM = "未分类"

REQUIRED_COLUMNS = ("department", "item_name", "task_type_code", "sczwfw_item_code", "area_code")
OPTIONAL_COLUMNS = (
    "main_item",
    "task_type_name_inferred",
    "dept_code",
    "link",
    "basic_code",
    "implementation_code",
)

# How people name the columns on screen, and the Chinese headers accepted as aliases.
COLUMN_LABELS = {
    "department": gettext_lazy("部门"),
    "main_item": gettext_lazy("主项名称"),
    "item_name": gettext_lazy("事项名称"),
    "task_type_code": gettext_lazy("事项类型编码"),
    "task_type_name_inferred": gettext_lazy("事项类型名称"),
    "sczwfw_item_code": gettext_lazy("事项编码"),
    "area_code": gettext_lazy("区划代码"),
    "dept_code": gettext_lazy("部门编码"),
    "link": gettext_lazy("链接"),
    "basic_code": gettext_lazy("基本编码"),
    "implementation_code": gettext_lazy("实施编码"),
}
HEADER_ALIASES = {
    "部门": "department",
    "部门名称": "department",
    "实施部门": "department",
    "主项": "main_item",
    "主项名称": "main_item",
    "事项名称": "item_name",
    "事项类型编码": "task_type_code",
    "事项类型代码": "task_type_code",
    "事项类型": "task_type_name_inferred",
    "事项类型名称": "task_type_name_inferred",
    "事项编码": "sczwfw_item_code",
    "地方事项编码": "sczwfw_item_code",
    "区划代码": "area_code",
    "行政区划代码": "area_code",
    "部门编码": "dept_code",
    "链接": "link",
    "来源链接": "link",
    "基本编码": "basic_code",
    "实施编码": "implementation_code",
}

AREA_CODE_RE = re.compile(r"^[0-9]{12}$")
TYPE_CODE_RE = re.compile(r"^[0-9]{1,2}$")
BASIC_CODE_RE = re.compile(r"^[0-9A-Z]{12}$")
IMPLEMENTATION_CODE_RE = re.compile(r"^[0-9A-Z]{31}$")

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Item fields set from the columns; a field is managed only when its column is in the file.
FIELD_COLUMNS = {
    "name": "item_name",
    "local_code": "sczwfw_item_code",
    "item_type": "task_type_code",
    "area_code": "area_code",
    "main_item": "main_item",
    "source_url": "link",
    "basic_code": "basic_code",
    "implementation_code": "implementation_code",
}


class CatalogImportError(Exception):
    """The file was refused; ``errors`` lists every problem, in Chinese, with its row number."""

    def __init__(self, errors):
        self.errors = [str(e) for e in errors]
        super().__init__("\n".join(self.errors))


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: int = 0
    departments_updated: int = 0
    not_in_file: int = 0
    dry_run: bool = False
    warnings: list = field(default_factory=list)

    def summary(self):
        """The outcome as a clerk reads it."""
        lines = []
        if self.dry_run:
            lines.append(_("试运行：文件校验通过，未写入任何数据。以下为将要发生的变化。"))
        lines.append(
            _(
                "共 %(total)d 个事项：新增 %(created)d 个，更新 %(updated)d 个，"
                "无变化 %(unchanged)d 个。"
            )
            % {
                "total": self.total,
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            }
        )
        lines.append(
            _("新建部门 %(created)d 个，补充部门编码 %(updated)d 个。")
            % {"created": self.departments_created, "updated": self.departments_updated}
        )
        if self.not_in_file:
            lines.append(
                _("数据库中另有 %(count)d 个事项不在本文件中，未作改动。")
                % {"count": self.not_in_file}
            )
        lines.extend(self.warnings)
        return "\n".join(lines)


@dataclass
class CatalogRow:
    """One valid row: its spreadsheet row number, department, and the item's field values."""

    row: int
    department: str
    dept_code: str
    values: dict


def import_catalog(path_or_file, *, dry_run=False) -> ImportResult:
    """Validate the whole file, then (unless ``dry_run``) write it in one transaction.

    ``path_or_file`` is a path or an open file (binary preferred). Raises
    ``CatalogImportError`` listing every error; in that case nothing has been written.
    """
    data, name = _read_bytes(path_or_file)
    header, rows = _read_table(data, name)
    columns = _map_header(header)
    width = max(i + 1 for i, cell in enumerate(header) if _cell(cell))
    records = _validate_rows(columns, width, rows)
    managed = [f for f, column in FIELD_COLUMNS.items() if column in columns]
    result = ImportResult(total=len(records), dry_run=dry_run)
    if dry_run:
        _plan_items(records, _plan_departments(records, result), result)
        return result
    with transaction.atomic():
        touched = _write(records, managed, result)
    _update_search_index(touched, result)
    return result


# --- reading -----------------------------------------------------------------------------


def _read_bytes(path_or_file):
    if hasattr(path_or_file, "read"):
        data = path_or_file.read()
        name = str(getattr(path_or_file, "name", "") or "")
        if isinstance(data, str):
            data = data.encode("utf-8")
        return data, name
    path = Path(path_or_file)
    try:
        return path.read_bytes(), path.name
    except FileNotFoundError as exc:
        raise CatalogImportError([_("找不到文件“%(path)s”。") % {"path": path}]) from exc
    except OSError as exc:
        raise CatalogImportError(
            [_("无法读取文件“%(path)s”：%(error)s") % {"path": path, "error": exc.strerror or exc}]
        ) from exc


def _read_table(data, name):
    """The header cells and the data rows as ``(row number, cells)``; file-level errors raise."""
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise CatalogImportError([_("文件为空。")])
    if data.startswith(XLSX_MAGIC):
        table = _read_xlsx(data)
    elif data.startswith(XLS_MAGIC):
        raise CatalogImportError(
            [_("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或“CSV UTF-8”格式后再导入。")]
        )
    elif name.lower().endswith(".xlsx"):
        raise CatalogImportError([_("文件不是有效的 XLSX 工作簿。")])
    else:
        table = _read_csv(data)
    table = iter(table)
    header = next(table, None)
    if header is None or not any(_cell(c) for c in header[1]):
        raise CatalogImportError([_("第 1 行应为表头，但该行为空。")])
    rows = [(number, cells) for number, cells in table if any(_cell(c) for c in cells)]
    if not rows:
        raise CatalogImportError([_("文件只有表头，没有事项数据。")])
    return header[1], rows


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [
            (number, list(cells))
            for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
        ]
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise CatalogImportError([_("文件不是有效的 XLSX 工作簿。")]) from exc
    return rows


def _read_csv(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise CatalogImportError(
            [_("文件不是 CSV 或 XLSX 格式（如为 UTF-16 编码的文本，请另存为“CSV UTF-8”格式）。")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogImportError(_undecodable_lines(data)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, cells))
    except csv.Error as exc:
        raise CatalogImportError(
            [
                _("第 %(row)d 行：无法按 CSV 格式读取（%(error)s）。")
                % {"row": len(rows) + 1, "error": exc}
            ]
        ) from exc
    return rows


def _undecodable_lines(data):
    """One error per line holding bytes that are not UTF-8."""
    hint = _("文件须为 UTF-8 编码；如由 Excel 保存，请选择“CSV UTF-8（逗号分隔）”格式。")
    errors = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            errors.append(
                _("第 %(row)d 行：含有无法按 UTF-8 解码的字节。%(hint)s")
                % {"row": number, "hint": hint}
            )
    return errors


def _cell(value):
    """A cell as trimmed text; numbers from spreadsheets lose a spurious '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("\ufeff", "").strip()


# --- validating ----------------------------------------------------------------------------


def _column_label(column):
    return f"{column}（{COLUMN_LABELS[column]}）"


def _map_header(header):
    """``{column: index}`` for the known columns; unknown columns are ignored."""
    columns, errors = {}, []
    for index, raw in enumerate(header):
        text = _cell(raw)
        column = HEADER_ALIASES.get(text, text.lower())
        if column not in COLUMN_LABELS:
            continue
        if column in columns:
            errors.append(
                _("表头中“%(column)s”列出现了两次（第 %(first)d 列和第 %(second)d 列）。")
                % {
                    "column": _column_label(column),
                    "first": columns[column] + 1,
                    "second": index + 1,
                }
            )
            continue
        columns[column] = index
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        errors.append(
            _("缺少必需的列：%(columns)s。第 1 行应为表头，必需的列为：%(required)s。")
            % {
                "columns": "、".join(_column_label(c) for c in missing),
                "required": ", ".join(REQUIRED_COLUMNS),
            }
        )
    if errors:
        raise CatalogImportError(errors)
    return columns


def _shorten(value, limit=40):
    return value if len(value) <= limit else value[:limit] + "…"


def _type_names():
    """ItemType code → its Chinese name, whatever language is active."""
    with translation.override("zh-hans"):
        return {choice.value: str(choice.label) for choice in ItemType}


def _max_length(model, field_name):
    return model._meta.get_field(field_name).max_length


def _validate_rows(columns, width, rows):
    """The valid rows as ``CatalogRow``; raises ``CatalogImportError`` listing every bad row."""
    validator = _RowValidator(columns, width)
    records, errors = [], []
    for number, cells in rows:
        record, row_errors = validator.check(number, cells)
        errors.extend(row_errors)
        if record is not None:
            records.append(record)
    if errors:
        raise CatalogImportError(errors)
    return records


class _RowValidator:
    """Checks one row at a time; remembers the item codes seen so far to catch duplicates."""

    def __init__(self, columns, width):
        self.columns = columns
        self.width = width
        self.type_names = _type_names()
        self.url_validator = URLValidator(schemes=["http", "https"])
        # Codes with a format of their own (type, area, national codes) are checked by it.
        self.limits = {
            column: _max_length(ServiceItem, f)
            for f, column in FIELD_COLUMNS.items()
            if f in ("name", "local_code", "main_item", "source_url")
        }
        self.limits["department"] = _max_length(Department, "name")
        self.limits["dept_code"] = _max_length(Department, "code")
        self.seen_codes = {}

    def check(self, number, cells):
        """``(CatalogRow or None, errors)`` for the row at spreadsheet row ``number``."""
        errors = []

        def fail(message):
            errors.append(_("第 %(row)d 行：%(message)s") % {"row": number, "message": message})

        if len(cells) < self.width:
            fail(
                _("只有 %(count)d 列，少于表头的 %(width)d 列。")
                % {"count": len(cells), "width": self.width}
            )
            return None, errors
        extra = [i + 1 for i in range(self.width, len(cells)) if _cell(cells[i])]
        if extra:
            fail(
                _("第 %(column)d 列有内容，但表头中没有该列（值中的逗号是否漏加了引号？）。")
                % {"column": extra[0]}
            )
        raw = {column: _cell(cells[index]) for column, index in self.columns.items()}
        for column, value in raw.items():
            limit = self.limits.get(column)
            if limit and len(value) > limit:
                fail(
                    _("%(label)s超过 %(limit)d 个字符（实际 %(length)d 个）。")
                    % {"label": COLUMN_LABELS[column], "limit": limit, "length": len(value)}
                )

        for column, message in [
            ("item_name", _("事项名称为空。")),
            ("sczwfw_item_code", _("事项编码为空。")),
            ("department", _("部门为空。")),
            ("task_type_code", _("事项类型编码为空。")),
        ]:
            if not raw[column]:
                fail(message)

        code = raw["sczwfw_item_code"]
        if code in self.seen_codes:
            fail(
                _("事项编码“%(code)s”与第 %(first)d 行重复。")
                % {"code": _shorten(code), "first": self.seen_codes[code]}
            )
        elif code:
            self.seen_codes[code] = number

        item_type = self._item_type(raw, fail)

        area_code = raw["area_code"]
        if not AREA_CODE_RE.match(area_code):
            fail(
                _("区划代码“%(code)s”应为 12 位数字（如 511602000000）。")
                % {"code": _shorten(area_code)}
            )

        link = raw.get("link", "")
        if link:
            try:
                self.url_validator(link)
            except ValidationError:
                fail(_("链接“%(link)s”不是有效的网址。") % {"link": _shorten(link)})

        basic_code = raw.get("basic_code", "")
        if basic_code and not BASIC_CODE_RE.match(basic_code):
            fail(_("基本编码“%(code)s”应为 12 位数字或大写字母。") % {"code": _shorten(basic_code)})
        implementation_code = raw.get("implementation_code", "")
        if implementation_code and not IMPLEMENTATION_CODE_RE.match(implementation_code):
            fail(
                _("实施编码“%(code)s”应为 31 位数字或大写字母。")
                % {"code": _shorten(implementation_code)}
            )

        if errors:
            return None, errors
        main_item = raw.get("main_item", "")
        values = {
            "name": raw["item_name"],
            "local_code": code,
            "item_type": item_type,
            "area_code": area_code,
            "main_item": "" if main_item == NO_MAIN_ITEM else main_item,
            "source_url": link,
            "basic_code": basic_code,
            "implementation_code": implementation_code,
        }
        managed = {f: v for f, v in values.items() if FIELD_COLUMNS[f] in self.columns}
        return CatalogRow(number, raw["department"], raw.get("dept_code", ""), managed), errors

    def _item_type(self, raw, fail):
        """The two-digit ``ItemType`` code, or "" after reporting why there is none."""
        type_code = raw["task_type_code"]
        if not type_code:
            return ""
        if not (TYPE_CODE_RE.match(type_code) and str(int(type_code)) in CATALOG_TYPE_CODES):
            fail(
                _("事项类型编码“%(code)s”不在目录代码表中（应为 %(codes)s 之一）。")
                % {"code": _shorten(type_code), "codes": "、".join(CATALOG_TYPE_CODES)}
            )
            return ""
        item_type = f"{int(type_code):02d}"
        type_name = raw.get("task_type_name_inferred", "")
        if type_name and type_name != self.type_names[item_type]:
            fail(
                _("事项类型编码“%(code)s”对应“%(expected)s”，与事项类型名称“%(name)s”不一致。")
                % {
                    "code": type_code,
                    "expected": self.type_names[item_type],
                    "name": _shorten(type_name),
                }
            )
        return item_type


# --- writing -------------------------------------------------------------------------------


def _plan_departments(records, result):
    """Create missing departments (unsaved) and fill blank codes; ``{name: Department}``.

    A department's code is the one most of its rows carry (the catalog repeats it per row and
    a few rows carry variants); an existing non-blank code is left as the administrator set it.
    """
    codes = {}
    for record in records:
        counter = codes.setdefault(record.department, Counter())
        if record.dept_code:
            counter[record.dept_code] += 1
    departments = {d.name: d for d in Department.objects.filter(name__in=list(codes))}
    result.departments_created = result.departments_updated = 0
    for name, counter in codes.items():
        code = counter.most_common(1)[0][0] if counter else ""
        department = departments.get(name)
        if department is None:
            departments[name] = Department(name=name, code=code)
            result.departments_created += 1
        elif code and not department.code:
            department.code = code
            department._import_filled = True
            result.departments_updated += 1
    return departments


def _plan_items(records, departments, result):
    """``(new items, changed items)``, with the counts recorded on ``result``.

    One query loads the existing catalog; items not in the file are left untouched.
    """
    existing = {item.local_code: item for item in ServiceItem.objects.all()}
    new, changed = [], []
    for record in records:
        department_id = departments[record.department].pk
        item = existing.pop(record.values["local_code"], None)
        if item is None:
            new.append(ServiceItem(department_id=department_id, **record.values))
            continue
        dirty = item.department_id != department_id
        item.department_id = department_id
        for name, value in record.values.items():
            if getattr(item, name) != value:
                setattr(item, name, value)
                dirty = True
        if dirty:
            changed.append(item)
    result.created = len(new)
    result.updated = len(changed)
    result.unchanged = len(records) - len(new) - len(changed)
    result.not_in_file = len(existing)
    return new, changed


def _write(records, managed, result):
    departments = _plan_departments(records, result)
    Department.objects.bulk_create([d for d in departments.values() if d.pk is None])
    Department.objects.bulk_update(
        [d for d in departments.values() if getattr(d, "_import_filled", False)], ["code"]
    )
    departments = {d.name: d for d in Department.objects.filter(name__in=list(departments))}
    new, changed = _plan_items(records, departments, result)
    ServiceItem.objects.bulk_create(new, batch_size=500)
    now = timezone.now()
    for item in changed:
        item.updated_at = now
    ServiceItem.objects.bulk_update(changed, [*managed, "department", "updated_at"], batch_size=500)
    if any(item.pk is None for item in new):  # backends that do not return ids from bulk inserts
        codes = {item.local_code for item in new}
        new = [item for item in ServiceItem.objects.all() if item.local_code in codes]
    return new + changed


def _update_search_index(items, result):
    """Bulk writes send no signals: index the created and changed items ourselves."""
    if not items:
        return
    try:
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(ServiceItem, items)
    except Exception:
        logger.exception("Indexing imported catalog items failed")
        result.warnings.append(_("搜索索引未能更新，请运行 manage.py update_index。"))
    _update_public_search(items, result)


def _update_public_search(items, result):
    """New item names join the search dictionary; the public index gets the items as they are."""
    from search.analysis import reload_dictionary
    from search.backends import get_backend
    from search.documents import document_for_item

    reload_dictionary()
    try:
        get_backend().index(
            document_for_item(item) for item in items if item.status == ItemStatus.IN_USE
        )
    except Exception:
        logger.exception("Indexing imported catalog items in the public search failed")
        result.warnings.append(_("公众搜索索引未能更新，请运行 manage.py search_reindex。"))
