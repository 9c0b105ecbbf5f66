"""Reading exports back in tests: a CSV response's rows, an XLSX response's rows (openpyxl), and the
XLSX rows as the CSV writes them (numbers and dates as text), to compare the two formats."""

import csv
import datetime
import io

from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.getvalue())).active


def as_csv_text(value, csv_cell: str) -> str:
    """How the CSV writes this XLSX value: datetimes in ISO form (the CSV adds the UTC offset the XLSX
    cannot hold), dates as YYYY-MM-DD (openpyxl reads them back as midnight datetimes)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if len(csv_cell) == 10:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds") + csv_cell[19:]
    return str(value)


def assert_same_rows(csv_response, xlsx_response) -> None:
    expected = csv_rows(csv_response)
    sheet = xlsx_sheet(xlsx_response)
    got = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(got) == len(expected)
    for xlsx_row, csv_row in zip(got, expected, strict=True):
        assert [as_csv_text(v, c) for v, c in zip(xlsx_row, csv_row, strict=True)] == csv_row
