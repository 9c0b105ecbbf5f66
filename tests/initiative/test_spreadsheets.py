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
