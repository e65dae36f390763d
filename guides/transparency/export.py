"""The board as CSV (Excel-friendly UTF-8 with BOM) and XLSX, with Chinese headers.

The summary is the board's first screen: one row per township, worst first, the same figures.
The detail has one row per problem (a guide or notice in a category). CSV carries one of them
(``?sheet=detail`` for the detail); the workbook carries both, as sheets "汇总" and "明细".
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ..models.choices import BasisStatus
from .report import CATEGORIES, CATEGORY_LABELS, totals

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def summary_headers():
    return [
        _("乡镇（街道）"),
        _("区划代码"),
        _("已发布指南"),
        _("要素齐全"),
        *[str(label) for _key, label in CATEGORIES],
        _("问题合计"),
    ]


def summary_rows(reports):
    rows = [
        [
            r.township.title,
            r.township.code,
            r.total,
            r.complete_count,
            *[r.counts[key] for key, _label in CATEGORIES],
            r.issues,
        ]
        for r in reports
    ]
    all_ = totals(reports)
    rows.append(
        [
            _("合计"),
            "",
            all_["guides"],
            all_["complete"],
            *[all_[key] for key, _label in CATEGORIES],
            sum(all_[key] for key, _label in CATEGORIES),
        ]
    )
    return rows


def detail_headers():
    return [_("乡镇（街道）"), _("区划代码"), _("问题类别"), _("名称"), _("说明"), _("公开网址")]


def _date(value):
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")


def _explain(key, row):
    if key == "incomplete":
        return _("缺：%(missing)s") % {"missing": "、".join(row.missing)}
    if key == "basis":
        return "；".join(
            f"{basis}（{BasisStatus(basis.status).label}）" for basis in row.outdated_bases
        )
    if key == "stale":
        if row.last_reviewed is None:
            return _("从未审查")
        return _("上次审查：%(date)s") % {"date": _date(row.last_reviewed)}
    if key == "late":
        return _("%(since)s起有未发布的修改，应于%(due)s前发布") % {
            "since": _date(row.pending_since),
            "due": _date(row.publish_due),
        }
    if key == "postings":
        return _("公示截止：%(date)s，已超过%(days)d天") % {
            "date": _date(row.notice.posting_end),
            "days": row.days_over,
        }
    if key == "sent_back":
        return _("%(date)s退回：%(comment)s") % {
            "date": _date(row.last_review.created_at),
            "comment": row.last_review.comment,
        }
    return ""


def detail_rows(reports, url_for):
    rows = []
    for report in reports:
        for key, _label in CATEGORIES:
            for row in report.rows(key):
                page = row.notice if key == "postings" else row.guide
                rows.append(
                    [
                        report.township.title,
                        report.township.code,
                        str(CATEGORY_LABELS[key]),
                        page.title,
                        _explain(key, row),
                        url_for(page) or "",
                    ]
                )
    return rows


def _filename(extension, detail=False):
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = _("政务公开明细") if detail else _("政务公开审查")
    return f"{name}-{stamp}.{extension}"


def csv_response(reports, url_for, detail=False):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 only with a BOM
    writer = csv.writer(buffer)
    if detail:
        writer.writerow(detail_headers())
        writer.writerows(detail_rows(reports, url_for))
    else:
        writer.writerow(summary_headers())
        writer.writerows(summary_rows(reports))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, _filename("csv", detail=detail)
    )
    return response


def workbook(reports, url_for):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = _("汇总")
    detail = book.create_sheet(_("明细"))
    for sheet, headers, rows, widths in (
        (summary, summary_headers(), summary_rows(reports), [14, 12] + [12] * 9),
        (detail, detail_headers(), detail_rows(reports, url_for), [14, 12, 18, 36, 60, 50]),
    ):
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    return book


def xlsx_response(reports, url_for):
    buffer = io.BytesIO()
    workbook(reports, url_for).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _filename("xlsx"))
    return response
