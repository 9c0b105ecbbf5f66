"""Database-side upkeep of the search index: triggers on the source tables, for PostgreSQL and SQLite.

Each kind is one portable `SELECT` over its source table (aliased `src`) giving the index columns. The
same statements run in a trigger (for one row: `src.id = NEW.id`) and in `rebuild_sql()` (for every
row). A source row's entries are deleted and re-inserted on every insert, update of a column that
matters, and delete, so an entry never outlives or lags its row. Only PostgreSQL gets the vector trigger,
the `der_english` text search configuration and the GIN index.

Two columns are facts about who may find a comment, kept here so that a search filters its matches
instead of listing every comment a person may read (which grows with the table): `hidden` (a moderator
hid it) and `members_only` (it was made in a members' review); FALSE for every other kind. Statements are
built for the columns the index has at the time (`has_flags`), so the first migration, which runs
before the flags exist, still builds a working index, and the triggers are put back with the flags
after every `migrate`.

Every statement is assembled from the constants of this module only (table and column names, kinds),
never from input (hence S608 is off for this package in pyproject.toml).
"""

from dataclasses import dataclass

TABLE = "discovery_searchentry"
COLUMNS = "kind, object_id, workstream_id, deliverable_id, version_number, anchor, title, body, date"
FLAG_COLUMNS = ("hidden", "members_only")


@dataclass(frozen=True)
class Source:
    kind: str
    table: str
    select: str  # the columns after kind and object_id, then FROM ... (the row is `src`)
    watched: tuple[str, ...]  # an UPDATE of one of these columns re-indexes the row
    condition: str = ""
    flags: str = "FALSE, FALSE"  # hidden, members_only

    @property
    def select_columns(self) -> str:
        return self.select[: self.select.index(" FROM ")]

    @property
    def select_from(self) -> str:
        return self.select[self.select.index(" FROM ") + 1 :]


SOURCES = [
    Source(
        "workstream",
        "workstreams_workstream",
        "src.id, NULL, NULL, src.slug, "
        "CASE WHEN substr(src.code, 1, 1) = 'T' THEN 'Track ' || substr(src.code, 2) "
        "ELSE 'Workstream ' || src.code END"
        " || ': ' || src.name, "
        "src.challenge || ' ' || src.objective || ' ' || src.approach || ' ' || src.emerging_issues, NULL "
        "FROM workstreams_workstream src",
        ("code", "slug", "name", "challenge", "objective", "approach", "emerging_issues"),
    ),
    Source(
        "deliverable",
        "workstreams_deliverable",
        "src.workstream_id, src.id, NULL, src.slug, src.title, src.description, NULL "
        "FROM workstreams_deliverable src",
        ("workstream_id", "slug", "title", "description"),
    ),
    Source(
        "publication",
        "consultations_publication",
        "d.workstream_id, src.deliverable_id, NULL, '', src.title, src.body, src.published_at "
        "FROM consultations_publication src JOIN workstreams_deliverable d ON d.id = src.deliverable_id",
        ("title", "body", "published_at", "deliverable_id"),
    ),
    Source(
        "paragraph",
        "consultations_paragraph",
        "d.workstream_id, v.deliverable_id, v.number, src.key, COALESCE(s.title, v.title), src.text, "
        "v.created_at "
        "FROM consultations_paragraph src "
        "JOIN consultations_draftversion v ON v.id = src.version_id "
        "JOIN workstreams_deliverable d ON d.id = v.deliverable_id "
        "LEFT JOIN consultations_section s ON s.id = src.section_id",
        ("text", "key", "section_id", "version_id"),
    ),
    Source(
        "comment",
        "consultations_comment",
        "d.workstream_id, v.deliverable_id, v.number, src.paragraph_key, '', src.body, src.created_at "
        "FROM consultations_comment src "
        "JOIN consultations_draftversion v ON v.id = src.version_id "
        "JOIN workstreams_deliverable d ON d.id = v.deliverable_id "
        "JOIN consultations_review r ON r.id = src.review_id",
        ("body", "version_id", "paragraph_key", "hidden_at", "review_id"),
        flags="src.hidden_at IS NOT NULL, r.kind <> 'public_consultation'",
    ),
    Source(
        "glossary",
        "workstreams_glossaryterm",
        "NULL, NULL, NULL, '', src.term, src.definition, NULL FROM workstreams_glossaryterm src",
        ("term", "definition"),
    ),
    Source(
        "session",
        "workstreams_workingsession",
        "src.workstream_id, NULL, NULL, '', src.title, src.agenda, src.starts_at "
        "FROM workstreams_workingsession src",
        ("title", "agenda", "starts_at", "workstream_id", "minutes"),
    ),
    Source(
        "minutes",
        "workstreams_workingsession",
        "src.workstream_id, NULL, NULL, '', src.title, src.minutes, src.starts_at "
        "FROM workstreams_workingsession src",
        ("title", "agenda", "starts_at", "workstream_id", "minutes"),
        condition="src.minutes <> ''",
    ),
    Source(
        "webinar",
        "webinars_webinar",
        "d.workstream_id, src.deliverable_id, NULL, src.slug, src.title, src.description, src.starts_at "
        "FROM webinars_webinar src LEFT JOIN workstreams_deliverable d ON d.id = src.deliverable_id",
        ("slug", "title", "description", "starts_at", "deliverable_id"),
    ),
]


def _insert(source: Source, where: str, *, flags: bool) -> str:
    conditions = " AND ".join(c for c in (where, source.condition) if c) or "1 = 1"
    columns, values = COLUMNS, f"'{source.kind}', src.id, {source.select}"
    if flags:
        columns += ", " + ", ".join(FLAG_COLUMNS)
        values = f"'{source.kind}', src.id, {source.select_columns}, {source.flags} {source.select_from}"
    return f"INSERT INTO {TABLE} ({columns}) SELECT {values} WHERE {conditions}"


def _statements(table: str, row: str, *, flags: bool) -> list[str]:
    """Delete then re-insert the entries of source row `row` (NEW.id) of `table`."""
    kinds = [s for s in SOURCES if s.table == table]
    names = ", ".join(f"'{s.kind}'" for s in kinds)
    return [f"DELETE FROM {TABLE} WHERE kind IN ({names}) AND object_id = {row}"] + [
        _insert(s, f"src.id = {row}", flags=flags) for s in kinds
    ]


def _tables() -> dict[str, tuple[str, ...]]:
    watched: dict[str, tuple[str, ...]] = {}
    for s in SOURCES:
        watched[s.table] = tuple(dict.fromkeys(watched.get(s.table, ()) + s.watched))
    return watched


def has_flags(connection) -> bool:
    """Whether the index has its flag columns yet (not while the first migration runs)."""
    with connection.cursor() as cursor:
        names = {c.name for c in connection.introspection.get_table_description(cursor, TABLE)}
    return set(FLAG_COLUMNS) <= names


def rebuild_sql(*, flags: bool = True) -> list[str]:
    return [f"DELETE FROM {TABLE}"] + [_insert(s, "", flags=flags) for s in SOURCES]


# PostgreSQL -----------------------------------------------------------------------------------------------
PG_CONFIG = [
    "CREATE TEXT SEARCH CONFIGURATION der_english (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION der_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
]
PG_CONFIG_DROP = ["DROP TEXT SEARCH CONFIGURATION IF EXISTS der_english"]


def pg_install(*, flags: bool = True) -> list[str]:
    sql = [
        """CREATE FUNCTION discovery_searchentry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.vector := setweight(to_tsvector('der_english', coalesce(NEW.title, '')), 'A')
             || setweight(to_tsvector('der_english', coalesce(NEW.body, '')), 'B');
  RETURN NEW;
END $$""",
        f"CREATE TRIGGER discovery_searchentry_vector BEFORE INSERT OR UPDATE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION discovery_searchentry_vector()",
        f"CREATE INDEX searchentry_vector_gin ON {TABLE} USING gin (vector)",
    ]
    return sql + pg_source_triggers(flags=flags)


def pg_source_triggers(*, flags: bool = True) -> list[str]:
    """The triggers on the source tables; idempotent (replaced if present)."""
    sql: list[str] = []
    for table, watched in _tables().items():
        kinds = ", ".join(f"'{s.kind}'" for s in SOURCES if s.table == table)
        body = ";\n  ".join(_statements(table, "NEW.id", flags=flags))
        sql += [
            f"""CREATE OR REPLACE FUNCTION discovery_index_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {TABLE} WHERE kind IN ({kinds}) AND object_id = OLD.id;
    RETURN OLD;
  END IF;
  {body};
  RETURN NEW;
END $$""",
            f"DROP TRIGGER IF EXISTS discovery_index ON {table}",
            f"CREATE TRIGGER discovery_index AFTER INSERT OR DELETE OR UPDATE OF {', '.join(watched)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION discovery_index_{table}()",
        ]
    return sql


def pg_uninstall() -> list[str]:
    sql = [f"DROP TRIGGER IF EXISTS discovery_index ON {t}" for t in _tables()]
    sql += [f"DROP FUNCTION IF EXISTS discovery_index_{t}()" for t in _tables()]
    sql += [
        f"DROP TRIGGER IF EXISTS discovery_searchentry_vector ON {TABLE}",
        "DROP FUNCTION IF EXISTS discovery_searchentry_vector()",
        "DROP INDEX IF EXISTS searchentry_vector_gin",
    ]
    return sql


# SQLite ---------------------------------------------------------------------------------------------------
def sqlite_install(*, flags: bool = True) -> list[str]:
    """The triggers on the source tables; idempotent (replaced if present)."""
    sql = sqlite_uninstall()
    for table, watched in _tables().items():
        kinds = ", ".join(f"'{s.kind}'" for s in SOURCES if s.table == table)
        body = ";\n  ".join(_statements(table, "NEW.id", flags=flags))
        sql += [
            f"CREATE TRIGGER discovery_index_{table}_insert AFTER INSERT ON {table} BEGIN\n  {body};\nEND",
            f"CREATE TRIGGER discovery_index_{table}_update AFTER UPDATE OF {', '.join(watched)} "
            f"ON {table} BEGIN\n  {body};\nEND",
            f"CREATE TRIGGER discovery_index_{table}_delete AFTER DELETE ON {table} BEGIN\n"
            f"  DELETE FROM {TABLE} WHERE kind IN ({kinds}) AND object_id = OLD.id;\nEND",
        ]
    return sql


def sqlite_uninstall() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS discovery_index_{t}_{op}"
        for t in _tables()
        for op in ("insert", "update", "delete")
    ]


def install(connection) -> list[str]:
    if connection.vendor == "postgresql":
        return pg_install(flags=has_flags(connection))
    if connection.vendor == "sqlite":
        return sqlite_install(flags=has_flags(connection))
    return []


def uninstall(connection) -> list[str]:
    if connection.vendor == "postgresql":
        return pg_uninstall()
    if connection.vendor == "sqlite":
        return sqlite_uninstall()
    return []


def source_triggers(connection) -> list[str]:
    if connection.vendor == "postgresql":
        return pg_source_triggers(flags=has_flags(connection))
    if connection.vendor == "sqlite":
        return sqlite_install(flags=has_flags(connection))
    return []


def drop_source_triggers(connection) -> list[str]:
    """The source tables' triggers dropped: before a migration alters the index's table (SQLite
    rebuilds the table to alter it, and refuses to rename it back while a trigger names it)."""
    if connection.vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS discovery_index ON {t}" for t in _tables()]
    if connection.vendor == "sqlite":
        return sqlite_uninstall()
    return []


def reinstall_source_triggers(*, using: str = "default", **kwargs) -> None:
    """Put the source tables' triggers back after every `migrate` (a `post_migrate` receiver). SQLite
    drops a table's triggers when Django's schema editor rebuilds the table to alter it, which any later
    migration of a source table may do; without this the index would silently stop following it."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if TABLE not in tables or not set(_tables()) <= tables:
        return  # the index's migration has not run (or a source app was rolled back)
    with connection.cursor() as cursor:
        for statement in source_triggers(connection):
            cursor.execute(statement)
