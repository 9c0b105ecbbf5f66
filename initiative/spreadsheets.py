"""CSV cells safe to open in a spreadsheet: text a user typed that starts like a formula (=, +, -, @,
tab, carriage return) is prefixed with an apostrophe so it is shown, never run (CSV injection)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Numbers pass as they are; text that would start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
