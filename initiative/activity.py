"""The one row shape of the public activity feed, shared by every app that contributes rows.

Each app's selector returns `activity_rows(...)`: a `values()` query set of annotations only (`a_*`), so
`discovery` can `UNION ALL` them and page through the union in the database; one shape here means a
column added once reaches every kind of row."""

from django.db.models import CharField, Expression, F, IntegerField, QuerySet, Value

COLUMNS = (
    "a_kind",
    "a_id",
    "a_title",
    "a_date",
    "a_ws",
    "a_ws_code",
    "a_ws_name",
    "a_deliv",
    "a_number",
    "a_detail",
)


def activity_rows(
    qs: QuerySet,
    *,
    kind: str,
    title: str,
    date: str,
    ws: str,
    workstream_id: int | None = None,
    deliverable: str | None = None,
    number: Expression | None = None,
    detail: Expression | None = None,
) -> QuerySet:
    """`ws` is the path from the row to its workstream (`"workstream"`, `"deliverable__workstream"`);
    `workstream_id` narrows the rows to one workstream through that same path."""
    if workstream_id:
        qs = qs.filter(**{f"{ws}_id": workstream_id})
    if hasattr(qs, "rewrite"):
        # A model with translated fields (django-modeltranslation): its `values()` adds fallback columns
        # in no fixed order, which breaks the UNION's column order; read the original (English) columns.
        qs = qs.rewrite(False)
    return qs.annotate(
        a_kind=Value(kind, output_field=CharField()),
        a_id=F("pk"),
        a_title=F(title),
        a_date=F(date),
        a_ws=F(f"{ws}_id"),
        a_ws_code=F(f"{ws}__code"),
        a_ws_name=F(f"{ws}__name"),
        a_deliv=F(deliverable) if deliverable else Value(None, output_field=IntegerField()),
        a_number=number if number is not None else Value(None, output_field=IntegerField()),
        a_detail=detail if detail is not None else Value("", output_field=CharField()),
    ).values(*COLUMNS)
