"""Tables as CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and XLSX (openpyxl).

A table is a title, a list of column headings and rows of plain values (str, int, float,
date, datetime). Text that a spreadsheet would run as a formula is neutralised: in CSV it gets
a leading apostrophe, in XLSX it is stored as text.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(headings, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(title, headings, rows):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(6, len(str(h)) * 2 + 2) for h in headings]
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
        for index, value in enumerate(row):
            text = value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else str(value)
            widths[index] = min(60, max(widths[index], len(text) * 2 if text else 0))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # text starting with "=" is data, never a formula
                cell.data_type = "s"
            elif isinstance(cell.value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def response(export_format, filename, title, headings, rows):
    """An attachment response for ``export_format`` ("csv" or "xlsx")."""
    rows = list(rows)
    if export_format == "xlsx":
        body, content_type, extension = xlsx_bytes(title, headings, rows), XLSX_TYPE, "xlsx"
    else:
        body, content_type, extension = csv_bytes(headings, rows), CSV_TYPE, "csv"
    result = HttpResponse(body, content_type=content_type)
    result["Content-Disposition"] = content_disposition_header(True, f"{filename}.{extension}")
    result["Cache-Control"] = "private, no-store"
    result["X-Content-Type-Options"] = "nosniff"
    return result
