"""The DuckDB schema: one table per item type, the crawl bookkeeping, the history.

Item tables are derived from ``schemas.items`` so the two can never drift:
every dataclass field becomes a column (quoted, camelCase as in OParl), and
each table gets the bookkeeping columns below. ``(source, systemId)`` is the
key everywhere (one row per object, kept by the load's merge: ``item_table_ddl``),
which makes loading idempotent. Lists are typed
(``VARCHAR[]``, lists of structs, a map), not JSON: ``LIST_TYPES`` names them.
Every table and column carries a ``COMMENT`` (``TABLE_DOCS``, ``COLUMN_DOCS``),
so ``SELECT * FROM duckdb_columns()`` documents the warehouse.

Bookkeeping columns on every item table:

* ``crawlId``      the crawl that last changed the row
* ``contentHash``  hash of the row's content as last written (change detection)
* ``firstSeen``    when the object was first crawled
* ``lastSeen``     when it was last crawled (changes even when content doesn't)
* ``pageUrls``     the pages the row's values were read from
* ``vanishedAt``   when a finished crawl re-read one of those pages and the object was gone

``history`` keeps every change of a row (see ``pipelines.warehouse.history``);
``load_conflict`` the values that lost when one crawl read an object twice
with different values.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from schemas.items import ITEM_TYPES, Item

BOOKKEEPING_COLUMNS: dict[str, str] = {
    "crawlId": "VARCHAR",
    "contentHash": "VARCHAR",
    "firstSeen": "TIMESTAMPTZ",
    "lastSeen": "TIMESTAMPTZ",
    "pageUrls": "VARCHAR[]",
    "vanishedAt": "TIMESTAMPTZ",
}

SIGNATORY_TYPE = 'STRUCT("order" INTEGER, "name" VARCHAR, "role" VARCHAR, "representation" VARCHAR)[]'
REFERENCE_TYPE = 'STRUCT("raw" VARCHAR, "reference" VARCHAR, "paper" VARCHAR)[]'
VOTE_TYPE = ('STRUCT("result" VARCHAR, "unanimous" BOOLEAN, "yes" INTEGER, "no" INTEGER, "abstain" INTEGER, '
             '"biased" INTEGER, "raw" VARCHAR)[]')

# Typed columns for the fields ``schemas.items`` declares as JSON (``(table, column)`` wins over ``column``).
LIST_TYPES: dict[str, str] = {
    "title": "VARCHAR[]",
    "person.status": "VARCHAR[]",
    "participatingOffices": "VARCHAR[]",
    "underDirectionOf": "VARCHAR[]",
    "relatedPaper": "VARCHAR[]",
    "superordinatedPaper": "VARCHAR[]",
    "subordinatedPaper": "VARCHAR[]",
    "topics": "VARCHAR[]",
    "topicTerms": "VARCHAR[]",
    "otherText": "MAP(VARCHAR, VARCHAR)",
    "signatories": SIGNATORY_TYPE,
    "references": REFERENCE_TYPE,
    "otherVotes": VOTE_TYPE,
}

# Columns the load derives from a paper's texts (pipelines.warehouse.enrich): not read from a page, not part of its content.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {"paper": ("signatories", "topics", "topicTerms", "references")}
# Fields that say when and how an item was read, not what it says.
NON_CONTENT_FIELDS = ("crawledAt",)

_TYPE_MAP = (
    ("dt.datetime", "TIMESTAMPTZ"),
    ("dt.date", "DATE"),
    ("bool", "BOOLEAN"),
    ("int", "BIGINT"),
    ("JSON", "JSON"),
    ("str", "VARCHAR"),
)


def sql_type(annotation: object, name: str | None = None, table: str | None = None) -> str:
    """Return the DuckDB type for a dataclass field annotation (typed where ``LIST_TYPES`` knows the JSON field)."""
    text = str(annotation)
    for prefix, sql in _TYPE_MAP:
        if text.startswith(prefix):
            if sql == "JSON" and name is not None:
                return LIST_TYPES.get(f"{table}.{name}") or LIST_TYPES.get(name) or sql
            return sql
    raise TypeError(f"no DuckDB type for annotation {text!r}")


def item_columns(item_type: type[Item]) -> dict[str, str]:
    """Return ``{column: DuckDB type}`` for an item type, in field order."""
    return {f.name: sql_type(f.type, f.name, item_type.table) for f in dataclasses.fields(item_type)}


def table_columns(item_type: type[Item]) -> dict[str, str]:
    """Return all columns of an item table: the item's fields, then bookkeeping."""
    return {**item_columns(item_type), **BOOKKEEPING_COLUMNS}


def content_columns(item_type: type[Item]) -> list[str]:
    """Return the columns that hold what the source says about an object (no key, bookkeeping or derived columns)."""
    skip = {"source", "systemId", *NON_CONTENT_FIELDS, *DERIVED_COLUMNS.get(item_type.table, ())}
    return [name for name in item_columns(item_type) if name not in skip]


def content_hash_sql(item_type: type[Item]) -> str:
    """Return the SQL expression of a row's content hash (over ``content_columns``).

    DuckDB's own 64-bit ``hash`` of the row, in hex: ten times cheaper than an MD5 of its JSON, which took
    a tenth of a load. Good for telling a row's versions apart, not stable across DuckDB versions.
    """
    return f"to_hex(hash(struct_pack({', '.join(q(c) for c in content_columns(item_type))})))"


def q(identifier: str) -> str:
    """Return a quoted SQL identifier (``order`` is a keyword; camelCase is kept)."""
    return '"' + identifier.replace('"', '""') + '"'


def item_table_ddl(item_type: type[Item]) -> str:
    """Return the DDL of an item table. Its key is (``source``, ``systemId``), one row per object.

    The key is kept by the load, which merges by it in SQL (``pipelines.warehouse.load``), not by a
    PRIMARY KEY: DuckDB's index of it (an ART over two strings, mostly URLs) is built on every insert and
    written at every checkpoint, a large part of a first load and of the file, and the warehouse's queries
    do not use it (DuckDB joins by hashing). ``key_duplicates`` checks the key; a warehouse created with the
    constraint (before December 2026) keeps it and loads the same.
    """
    cols = ",\n    ".join(f"{q(name)} {sql}" for name, sql in table_columns(item_type).items())
    return f"CREATE TABLE IF NOT EXISTS {item_type.table} (\n    {cols}\n);"


def key_duplicates(con, table: str, sources: Iterable[str] | None = None) -> int:
    """Return how many (``source``, ``systemId``) keys of an item table (of ``sources``, default all) have more
    than one row: 0 in a sound warehouse."""
    where, params = ("", []) if sources is None else ('WHERE "source" IN (SELECT unnest(?))', [sorted(sources)])
    return con.execute(
        f'SELECT count(*) FROM (SELECT 1 FROM {table} {where} GROUP BY "source", "systemId" HAVING count(*) > 1)',
        params,
    ).fetchone()[0]


META_DDL = """
CREATE TABLE IF NOT EXISTS source (
    "source" VARCHAR PRIMARY KEY,
    "name" VARCHAR,
    "ags" VARCHAR,
    "system" VARCHAR,
    "baseUrl" VARCHAR
);
CREATE TABLE IF NOT EXISTS crawl (
    "crawlId" VARCHAR PRIMARY KEY,
    "source" VARCHAR,
    "system" VARCHAR,
    "baseUrl" VARCHAR,
    "startedAt" TIMESTAMPTZ,
    "finishedAt" TIMESTAMPTZ,
    "status" VARCHAR,
    "itemCounts" MAP(VARCHAR, BIGINT),
    "requests" BIGINT,
    "failures" BIGINT,
    "loadedAt" TIMESTAMPTZ,
    "loadCounts" MAP(VARCHAR, STRUCT("staged" BIGINT, "inserted" BIGINT, "updated" BIGINT, "unchanged" BIGINT)),
    "degraded" JSON
);
-- Every fetched page of every loaded crawl; the body is in data/raw/<sha256[:2]>/<sha256>.gz
CREATE TABLE IF NOT EXISTS page (
    "crawlId" VARCHAR,
    "url" VARCHAR,
    "fetchedAt" TIMESTAMPTZ,
    "status" INTEGER,
    "contentType" VARCHAR,
    "kind" VARCHAR,
    "sha256" VARCHAR,
    "bytes" BIGINT
);
-- Pages that were fetched but could not be parsed (or were refused); kept in the raw store
CREATE TABLE IF NOT EXISTS parse_failure (
    "crawlId" VARCHAR,
    "source" VARCHAR,
    "url" VARCHAR,
    "kind" VARCHAR,
    "status" INTEGER,
    "error" VARCHAR,
    "sha256" VARCHAR,
    "at" TIMESTAMPTZ
);
-- Share of pages of a kind on which each expected field was found, per crawl
CREATE TABLE IF NOT EXISTS parse_rate (
    "crawlId" VARCHAR,
    "source" VARCHAR,
    "pageKind" VARCHAR,
    "field" VARCHAR,
    "found" BIGINT,
    "total" BIGINT,
    "rate" DOUBLE,
    PRIMARY KEY ("crawlId", "pageKind", "field")
);
-- OParl incremental sync: one row per external list of a source (pipelines.warehouse.sync_state)
CREATE TABLE IF NOT EXISTS oparl_list_state (
    "source" VARCHAR,
    "listUrl" VARCHAR,              -- the list URL as the Body names it (no filter)
    "list" VARCHAR,                 -- paper, meeting, organization, person, membership …
    "body" VARCHAR,
    "lastWalkStartedAt" TIMESTAMPTZ,     -- start of the last walk that reached the list's end
    "lastFullWalkStartedAt" TIMESTAMPTZ, -- … of the last such walk without filter (or with one ignored)
    "lastModifiedSince" VARCHAR,    -- the modified_since the last walk sent (NULL: it asked for all)
    "lastComplete" BOOLEAN,
    "lastStopped" VARCHAR,          -- why the last walk stopped before the end, if it did
    "filterIgnored" BOOLEAN,        -- the server answered the filtered request with older objects
    "pages" BIGINT,
    "objects" BIGINT,
    "deleted" BIGINT,
    "crawlId" VARCHAR,
    "updatedAt" TIMESTAMPTZ,
    PRIMARY KEY ("source", "listUrl")
);
-- Every change of an item row, with the crawl that saw it (pipelines.warehouse.history)
CREATE TABLE IF NOT EXISTS history (
    "table" VARCHAR,
    "source" VARCHAR,
    "systemId" VARCHAR,
    "kind" VARCHAR,
    "fields" STRUCT("field" VARCHAR, "before" JSON, "after" JSON)[],
    "crawlId" VARCHAR,
    "seenAt" TIMESTAMPTZ,
    "loadedAt" TIMESTAMPTZ
);
-- Values of one object that disagreed within one crawl, and which one won
CREATE TABLE IF NOT EXISTS load_conflict (
    "crawlId" VARCHAR,
    "table" VARCHAR,
    "source" VARCHAR,
    "systemId" VARCHAR,
    "field" VARCHAR,
    "values" STRUCT("url" VARCHAR, "value" JSON)[],
    "winner" JSON,
    "winnerUrl" VARCHAR,
    "rule" VARCHAR
);
-- What the derived paper columns were computed with (pipelines.warehouse.enrich)
CREATE TABLE IF NOT EXISTS derivation (
    "name" VARCHAR PRIMARY KEY,
    "fingerprint" VARCHAR,
    "derivedAt" TIMESTAMPTZ
);
"""

CHANGES_VIEW = """
CREATE OR REPLACE VIEW changes AS
SELECT h."seenAt", h."table", h."source", h."systemId", h."kind",
       [f."field" FOR f IN h."fields" IF f."after" IS NOT NULL] AS "changedFields",
       [f."field" FOR f IN h."fields" IF f."after" IS NULL] AS "clearedFields",
       h."fields", h."crawlId", h."loadedAt"
FROM history h
"""

TABLE_DOCS: dict[str, str] = {
    "organization": "Committees (Gremien), factions, parties and offices of a council information system (OParl Organization).",
    "person": "Council members and other people (OParl Person).",
    "membership": "A person's membership of an organization, with role and period (OParl Membership).",
    "meeting": "Sessions of the council and its committees (OParl Meeting).",
    "agenda_item": "Agenda items (TOP) of a meeting, with result and votes (OParl AgendaItem).",
    "paper": "Papers: Vorlagen, Drucksachen, Anträge (OParl Paper), with text sections and derived topics.",
    "consultation": "One station of a paper's Beratungsfolge: which committee dealt with it in which meeting (OParl Consultation).",
    "file": "Documents of papers, meetings and agenda items, with extracted text (OParl File).",
    "source": "Configured municipalities: slug, name, AGS and council information system.",
    "crawl": "One row per loaded crawl: what was crawled, how it ended, what the load changed.",
    "page": "Every fetched page of every loaded crawl; the body is in data/raw/<sha256[:2]>/<sha256>.gz.",
    "parse_failure": "Pages that were fetched but could not be parsed or were refused, and broken lines of a staged crawl.",
    "parse_rate": "Share of pages of a kind on which each expected field was found, per crawl.",
    "oparl_list_state": "OParl incremental sync: one row per external list of a source.",
    "history": "Every change of an item row: new, changed (before/after per field), deleted, restored, vanished, reappeared.",
    "load_conflict": "Values that disagreed when one crawl read the same object twice (two pages, or two URLs with one id); the value read last wins.",
    "derivation": "What the derived paper columns (topics, signatories, references; name paper) and the derived tables paper_decision and resolution (name views) were computed with; a load that finds another taxonomy derives every paper again, one that finds other queries rebuilds the tables whole.",
    "changes": "What is new, changed (which fields), cleared, deleted or vanished, per crawl; one row per history entry.",
}

# Column docs: "table.column" for one table, "column" for every table that has it.
COLUMN_DOCS: dict[str, str] = {
    # common to every item
    "source": "Municipality slug from data/sources.toml (derived from the host for ad-hoc crawls).",
    "system": "Dialect that produced the row: allris_classic, allris4, sessionnet, oparl.",
    "systemId": "The source system's own id for the object (VOLFDNR, __kvonr …; the object URL for OParl); with source the natural key.",
    "url": "The page or API object the row was read from.",
    "web": "The human-readable page, where different from url.",
    "deleted": "The source says the object is deleted (OParl tombstone, or dropped from a re-read parent/complete list).",
    "created": "When the source created the object (OParl created).",
    "modified": "When the object last changed: the source's own date (OParl), else when ratsinfo first saw it or saw it change.",
    "crawledAt": "When the page behind the row was fetched.",
    "isStub": "Created for a reference nothing else showed; not seen itself.",
    "name": "Name or title as printed.",
    "shortName": "Short name or abbreviation.",
    "dateRaw": "The date exactly as printed.",
    "date": "The normalised date.",
    "datePrecision": "Precision of date: day, month or year.",
    "startDate": "First day of the period.",
    "endDate": "Last day of the period.",
    "organization": "systemId of the organization (committee) in the same source.",
    "organizationName": "Name of the organization (committee).",
    "meeting": "systemId of the meeting in the same source.",
    "paper": "systemId of the paper in the same source.",
    "role": "Role as printed.",
    "resultRaw": "The result exactly as printed.",
    "result": "Normalised result: accepted, rejected, postponed, noted, amended, withdrawn, unknown; NULL while undecided.",
    "position": "Position in the list it was read from (1-based).",
    "parent": "systemId of the enclosing object.",
    # organization
    "organizationType": "Kind of organization: Gremium, Fraktion, Verwaltungsbereich …",
    "classification": "Classification as the source gives it (Ausschuss, Beirat …).",
    # person
    "familyName": "Family name.",
    "givenName": "Given name.",
    "formOfAddress": "Form of address (Frau, Herr).",
    "title": "Academic titles (list).",
    "affix": "Name affix.",
    "gender": "Gender as the source gives it.",
    "person.status": "Roles of the person (list), e.g. Ratsmitglied.",
    # membership
    "person": "systemId of the person in the same source.",
    "membership.role": "Role in the organization (Vorsitz, Mitglied …).",
    "votingRight": "Whether the member has a vote.",
    "onBehalfOf": "systemId of the faction the person sits for.",
    "onBehalfOfName": "Name of the faction the person sits for.",
    # meeting
    "meeting.shortName": "Short name of the session (SessionNet siname, e.g. Rat/005/2026).",
    "timeRaw": "The time exactly as printed.",
    "start": "Start of the meeting.",
    "end": "End of the meeting.",
    "room": "Room.",
    "locality": "Place or address of the meeting.",
    "meetingState": "State of the meeting as the source gives it.",
    "cancelled": "The meeting was cancelled.",
    # agenda item
    "number": "Number as printed (Ö 2.1, N 3).",
    "order": "Order of the item on the agenda.",
    "agenda_item.parent": "systemId of the enclosing agenda item (nested TOPs such as Ö 2.1 under Ö 2).",
    "public": "Public (Ö) or not (N) part of the meeting.",
    "paperReference": "Reference (Drucksachennummer) of the paper dealt with.",
    "consultation": "systemId of the consultation (OParl links agenda item → consultation → paper).",
    "unanimous": "The decision was unanimous.",
    "votesYes": "Votes in favour.",
    "votesNo": "Votes against.",
    "votesAbstain": "Abstentions.",
    "votesBiased": "Members excluded for bias (befangen).",
    "voteRaw": "The Abstimmungsergebnis text, where separate.",
    "resolutionText": "Text of the resolution (Beschluss).",
    "protocolText": "Minutes of the item (Wortprotokoll / Beratung).",
    # paper
    "reference": "Reference as printed (Drucksachennummer, e.g. VO/2026/001).",
    "paper.name": "Subject (Betreff).",
    "paperType": "Kind of paper: Beschlussvorlage, Antrag, Anfrage …",
    "paper.status": "Status as the source gives it.",
    "author": "Author (Verfasser / Berichterstatter).",
    "clerk": "Clerk (Bearbeiter/-in).",
    "leadOfficeRaw": "Lead office as printed.",
    "leadOfficeKind": "Kind of lead office: Amt, Fachbereich, Dezernat, Stabsstelle …",
    "leadOfficeCode": "Code of the lead office (e.g. 50).",
    "leadOfficeName": "Name of the lead office.",
    "participatingOffices": "Participating offices as printed (list).",
    "fileNumber": "File number (Aktenzeichen).",
    "underDirectionOf": "OParl organization ids of the lead offices (list, lead first).",
    "sachverhalt": "Text section Sachverhalt.",
    "beschlussvorschlag": "Text section Beschlussvorschlag.",
    "begruendung": "Text section Begründung.",
    "beschluss": "Text section Beschluss.",
    "otherText": "Text sections without a column of their own: label → text.",
    "signatories": "Derived at load: who signed the paper (order, name, role, representation i.V./i.A.).",
    "relatedPaper": "Related papers (list of systemIds).",
    "superordinatedPaper": "Superordinated papers (list of systemIds).",
    "subordinatedPaper": "Subordinated papers (list of systemIds).",
    "references": "Derived at load: mentions of other papers in the texts (raw text, normalised reference, paper systemId if loaded).",
    "topics": "Derived at load: topics from data/topics/ that match the paper.",
    "topicTerms": "Derived at load: the topic terms that matched.",
    # consultation
    "consultation.paper": "systemId of the paper consulted.",
    "agendaItem": "systemId of the agenda item in the meeting.",
    "consultation.role": "Role of the consultation: Entscheidung, Vorberatung, Kenntnisnahme …",
    "authoritative": "The consultation takes the decision.",
    "state": "State of the consultation: Erledigt, Geplant, Bereit …",
    # file
    "parentType": "Kind of parent object: Paper, Meeting, AgendaItem.",
    "file.parent": "systemId of the parent object (see parentType).",
    "file.role": "Role of the document: mainFile, auxiliaryFile, invitation, resultsProtocol …",
    "fileName": "File name.",
    "mimeType": "MIME type.",
    "size": "Size in bytes, as the source gives it.",
    "accessUrl": "URL to open the document.",
    "downloadUrl": "URL to download the document.",
    "file.sha256": "SHA-256 of the downloaded bytes, when downloaded.",
    "text": "Extracted text, when extracted.",
    "textStatus": "Outcome of the download and text extraction: ok, no_text_layer, too_large, login_page, html_error_page, fetch_failed, refused …",
    "textUrl": "The URL the text was read from (the documents stage fetches again when accessUrl changes).",
    "textAttempts": "How often the documents stage tried to fetch the document.",
    "otherVotes": "Votes on motions about the proposal in the same result text (Änderungs-, Zusatzantrag …), the main resolution in result/votes*.",
    # bookkeeping of item tables
    "crawlId": "The crawl that last changed the row.",
    "contentHash": "Hash of the row's content as last written (change detection; DuckDB's 64-bit hash, in hex; NULL: marked deleted by the OParl sync).",
    "firstSeen": "When the object was first crawled.",
    "lastSeen": "When the object was last crawled (moves on even when nothing changed).",
    "pageUrls": "The pages the row's current values were read from.",
    "vanishedAt": "When a finished crawl re-read a page that showed the object and it was gone; NULL while present.",
    # source
    "source.name": "Name of the municipality.",
    "ags": "Amtlicher Gemeindeschlüssel.",
    "source.system": "Council information system: allris_classic, allris4, sessionnet, oparl.",
    "baseUrl": "Base URL of the council information system.",
    # crawl
    "crawl.crawlId": "Id of the crawl: start time and source slug.",
    "crawl.system": "Detected council information system.",
    "startedAt": "When the crawl started.",
    "finishedAt": "When the crawl ended.",
    "crawl.status": "How the crawl ended: finished, interrupted, failed …",
    "itemCounts": "Items staged per item type.",
    "requests": "Requests the crawl made.",
    "failures": "Failure records of the crawl.",
    "loadedAt": "When the crawl was loaded.",
    "loadCounts": "Per table: rows staged, inserted, updated, unchanged by the load.",
    "degraded": "Fields whose parse rate fell below the threshold in this crawl.",
    # page / parse_failure
    "page.url": "URL of the fetched page.",
    "fetchedAt": "When the page was fetched.",
    "page.status": "HTTP status.",
    "contentType": "Content-Type of the response.",
    "kind": "Kind of page (dialect page kind) or of failure.",
    "sha256": "SHA-256 of the raw body in the raw store.",
    "bytes": "Size of the raw body.",
    "parse_failure.url": "URL of the page, or the staged file and line for a broken staged line.",
    "parse_failure.status": "HTTP status.",
    "error": "What went wrong.",
    "at": "When it happened.",
    # parse_rate
    "pageKind": "Kind of page.",
    "field": "Field expected on pages of this kind.",
    "found": "Pages on which the field was found.",
    "total": "Pages of this kind.",
    "rate": "found / total.",
    # oparl_list_state
    "listUrl": "The list URL as the Body names it (no filter).",
    "list": "Kind of list: paper, meeting, organization, person, membership …",
    "body": "The OParl Body the list belongs to.",
    "lastWalkStartedAt": "Start of the last walk that reached the list's end.",
    "lastFullWalkStartedAt": "Start of the last such walk without filter (or with one the server ignored).",
    "lastModifiedSince": "The modified_since the last walk sent (NULL: it asked for all).",
    "lastComplete": "The last walk reached the list's end.",
    "lastStopped": "Why the last walk stopped before the end, if it did.",
    "filterIgnored": "The server answered the filtered request with older objects.",
    "pages": "Pages the last walk read.",
    "objects": "Objects the last walk read.",
    "oparl_list_state.deleted": "Tombstones the last walk read.",
    "updatedAt": "When the row was written.",
    # history / load_conflict / changes
    "table": "The item table of the row.",
    "history.kind": "new, changed, deleted, restored (undeleted), vanished, reappeared.",
    "fields": "Per changed field: its name, the value before and after (JSON; after NULL = cleared).",
    "seenAt": "When the crawl saw the change (the crawl's start).",
    "history.crawlId": "The crawl that saw the change.",
    "history.loadedAt": "When the change was loaded.",
    "load_conflict.crawlId": "The crawl that read the object more than once.",
    "load_conflict.field": "The field whose values disagreed.",
    "values": "Every non-empty value read, with the URL it came from, in the order read.",
    "winner": "The value kept: the one read last.",
    "winnerUrl": "The URL the kept value came from.",
    "rule": "The rule that chose the winner.",
    "changedFields": "Fields that got a new value.",
    "derivation.name": "What was derived: paper (the derived paper columns) or views (the derived tables).",
    "fingerprint": "SHA-256 of the taxonomy file and the derivation code's version (paper), or of the derived tables' queries (views).",
    "derivedAt": "When every paper was last derived with it.",
    "clearedFields": "Fields the source cleared (value kept in fields.before).",
}


def stored_fingerprint(con, name: str) -> str | None:
    """Return the fingerprint table ``derivation`` keeps for ``name``, or None."""
    row = con.execute('SELECT "fingerprint" FROM derivation WHERE "name" = ?', [name]).fetchone()
    return row[0] if row else None


def record_fingerprint(con, name: str, fingerprint: str) -> None:
    """Keep ``fingerprint`` as what ``name`` was last derived with (table ``derivation``)."""
    con.execute("INSERT OR REPLACE INTO derivation VALUES (?, ?, now())", [name, fingerprint])


def column_doc(table: str, column: str) -> str | None:
    """Return the documentation of a column, table-specific first."""
    return COLUMN_DOCS.get(f"{table}.{column}") or COLUMN_DOCS.get(column)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_schema(con) -> None:
    """Write TABLE_DOCS and COLUMN_DOCS as COMMENTs on every table, view and column."""
    statements = []
    for table, doc in TABLE_DOCS.items():
        kind = "VIEW" if table == "changes" else "TABLE"
        statements.append(f"COMMENT ON {kind} {table} IS {_sql_string(doc)};")
    for table, column in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name IN (SELECT unnest(?))",
        [list(TABLE_DOCS)],
    ).fetchall():
        doc = column_doc(table, column)
        if doc:
            statements.append(f"COMMENT ON COLUMN {table}.{q(column)} IS {_sql_string(doc)};")
    con.execute("\n".join(statements))


ITEM_TABLES: dict[str, type[Item]] = {t.table: t for t in ITEM_TYPES}


def all_ddl(item_types: Iterable[type[Item]] = ITEM_TYPES) -> str:
    """Return the whole schema as one SQL script."""
    return "\n\n".join([*(item_table_ddl(t) for t in item_types), META_DDL])


def create_schema(con) -> None:
    """Create what does not exist yet, migrate columns to their current types, and document everything."""
    con.execute(all_ddl())
    for item_type in ITEM_TYPES:
        existing = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = 'main' AND table_catalog = current_database()",
                [item_type.table],
            ).fetchall()
        )
        for name, sql in table_columns(item_type).items():
            if name not in existing:
                con.execute(f"ALTER TABLE {item_type.table} ADD COLUMN {q(name)} {sql}")
            elif existing[name] == "JSON" and sql != "JSON":  # a warehouse from before typed lists
                con.execute(f"ALTER TABLE {item_type.table} ALTER COLUMN {q(name)} SET DATA TYPE {sql} USING CAST({q(name)} AS {sql})")
    con.execute(CHANGES_VIEW)
    comment_schema(con)


if __name__ == "__main__":  # print the DDL: python -m schemas.warehouse
    print(all_ddl())
