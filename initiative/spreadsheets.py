"""The one writer of every spreadsheet export (the comment–response matrix, the deliverable tracker, the
registrants): an export is a list of `Column`s and a rows function yielding typed values (text, numbers,
dates, datetimes, booleans); the same rows become CSV or XLSX here.

Formula injection: text a user typed that starts like a formula (=, +, -, @, tab, carriage return) is
prefixed with an apostrophe so it is shown, never run — in both formats (`safe_cell`). Numbers, dates
and booleans are not text and pass as they are."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """Numbers, dates and booleans pass as they are; text that would start a formula gets a leading
    apostrophe; None is empty."""
    if value is None:
        return ""
    if isinstance(value, int | float | datetime.date):  # bool is an int; datetime is a date
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


@dataclass(frozen=True)
class Column:
    name: str
    width: int = 16  # characters, for the XLSX


# CSV ----------------------------------------------------------------------------------------------------
def _csv_value(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(columns: list[Column], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text line by line, after a byte-order mark so spreadsheet programs read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([c.name for c in columns])
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def csv_text(columns: list[Column], rows: Iterable[list]) -> str:
    return "".join(csv_lines(columns, rows))


def csv_response(*, filename: str, columns: list[Column], rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# XLSX ---------------------------------------------------------------------------------------------------
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def xlsx_bytes(*, columns: list[Column], rows: Iterable[list], title: str = "Export") -> bytes:
    """A workbook of one sheet: a bold header row, frozen, with an auto-filter over every column; widths
    per column; dates and datetimes (in the site's time zone: XLSX has none) as real dates. Written in
    openpyxl's write-only mode, so memory stays flat in the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1A4480")
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{count + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    value = safe_cell(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        # Explicitly a string: openpyxl would otherwise take text starting with "=" for a formula. Control
        # characters XML cannot hold are dropped (openpyxl refuses them).
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    return value


def xlsx_response(*, filename: str, columns: list[Column], rows: Iterable[list], title: str = "Export"):
    response = HttpResponse(
        xlsx_bytes(columns=columns, rows=rows, title=title), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(*, fmt: str, filename: str, columns: list[Column], rows: Iterable[list], title="Export"):
    """The CSV (`fmt="csv"`) or the XLSX (`fmt="xlsx"`) of the same rows."""
    if fmt == "xlsx":
        return xlsx_response(filename=filename, columns=columns, rows=rows, title=title)
    return csv_response(filename=filename, columns=columns, rows=rows)
