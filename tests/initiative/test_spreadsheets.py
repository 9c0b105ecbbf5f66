"""CSV exports never hand a spreadsheet a formula to run."""

from initiative.spreadsheets import safe_cell, safe_row


def test_formula_like_text_is_shown_not_run():
    assert safe_row(["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "plain", 3, None]) == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "plain",
        3,
        "",
    ]
    assert safe_cell(-4) == -4  # numbers stay numbers


def test_the_xlsx_has_a_frozen_bold_filtered_header_real_dates_and_no_formula():
    import datetime
    import io

    from django.utils import timezone
    from openpyxl import load_workbook

    from initiative.spreadsheets import Column, csv_text, xlsx_bytes

    columns = [Column("name", 30), Column("due", 12), Column("at"), Column("count"), Column("ok")]
    when = timezone.make_aware(datetime.datetime(2031, 3, 4, 15, 30))
    rows = [
        ['=HYPERLINK("http://evil","x")', datetime.date(2031, 3, 4), when, 7, True],
        ["Plain\x0b text", None, None, -2, False],
    ]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(columns=columns, rows=rows))).active
    assert [c.value for c in sheet[1]] == ["name", "due", "at", "count", "ok"]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3" and sheet.column_dimensions["A"].width == 30
    formula = sheet["A2"]
    assert formula.data_type == "s" and formula.value == '\'=HYPERLINK("http://evil","x")'
    assert sheet["B2"].is_date and sheet["B2"].value == datetime.datetime(2031, 3, 4)
    assert sheet["C2"].is_date and sheet["C2"].value == timezone.localtime(when).replace(tzinfo=None)
    assert sheet["D2"].value == 7 and sheet["D3"].value == -2 and sheet["E2"].value == "yes"
    assert sheet["A3"].value == "Plain text"  # a control character XML cannot hold is dropped
    text = csv_text(columns, rows)
    assert text.startswith("\ufeffname,due,at,count,ok")
    assert '"\'=HYPERLINK(""http://evil"",""x"")",2031-03-04,' + timezone.localtime(when).isoformat() in text
