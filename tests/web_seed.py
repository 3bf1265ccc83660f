"""A small warehouse for the export, feed and web tests: two towns, one paper crawled under two slugs.

``seed_warehouse(path)`` writes it through the real schema (``pipelines.warehouse.load.connect``),
then builds the views and the full-text index as a load does. What it holds:

* Musterstadt (``musterstadt``, ALLRIS at ``http://x/bi/``): paper 1, an
  integration paper whose title is a formula (``=HYPERLINK…``) with a
  signatory, a main document and an attachment, a vote postponed in the
  Integrationsrat (crawl c1) and accepted 22:0:11 in the Rat (crawl c2, changed);
  paper 2 "Straßenbau" with a new rejection in the Bauausschuss (crawl c2);
  paper 3 whose Betreff carries ``A;@SUM(1)`` and ``x,=1+2``.
* The same ALLRIS system crawled again as ``musterstadt-alt`` (paper 1 again).
* Beispielheim (``beispielheim``, SessionNet): paper 7 on Flüchtlingsunterkunft,
  accepted unanimously in the Sozialausschuss.
"""

from __future__ import annotations

from pathlib import Path

C1, C2, C3 = "c1-musterstadt", "c2-musterstadt", "c1-beispielheim"
C1_TIME, C2_TIME = "2026-11-01 02:00:00+00", "2026-12-01 02:00:00+00"


def seed_warehouse(path: Path, *, search_index: bool = True) -> Path:
    from pipelines.warehouse.load import connect
    from pipelines.warehouse.search import rebuild_search_index
    from schemas.views import create_views

    con = connect(path)
    try:
        seed(con)
        create_views(con)
        if search_index:
            rebuild_search_index(con)
    finally:
        con.close()
    return path


def seed(con) -> None:
    con.execute("""INSERT INTO source VALUES
        ('musterstadt', 'Stadt Musterstadt', '05999001', 'allris_classic', 'http://x/bi/'),
        ('musterstadt-alt', 'Musterstadt (alt)', '05999001', 'allris_classic', 'http://x/bi/allris.net.asp'),
        ('beispielheim', 'Gemeinde Beispielheim', '05999002', 'sessionnet', 'https://ratsinfo.beispielheim.de/bi/')""")
    con.execute(f"""INSERT INTO crawl ("crawlId", "source", "system", "baseUrl", "startedAt", "status") VALUES
        ('{C1}', 'musterstadt', 'allris_classic', 'http://x/bi/', TIMESTAMPTZ '{C1_TIME}', 'finished'),
        ('{C2}', 'musterstadt', 'allris_classic', 'http://x/bi/', TIMESTAMPTZ '{C2_TIME}', 'finished'),
        ('{C3}', 'beispielheim', 'sessionnet', 'https://ratsinfo.beispielheim.de/bi/', TIMESTAMPTZ '{C1_TIME}', 'finished')""")
    con.execute(f"""INSERT INTO paper ("source", "system", "systemId", "reference", "name", "paperType", "leadOfficeRaw",
                   "leadOfficeName", "leadOfficeCode", "deleted", "topics", "topicTerms", "url", "sachverhalt",
                   "beschluss", "signatories", "crawlId", "firstSeen", "lastSeen") VALUES
        ('musterstadt', 'allris_classic', '1', 'VO/1', '=HYPERLINK("x")', 'Beschlussvorlage', 'Amt 50', 'Sozialamt', '50',
         false, '["integration"]', '["Integrationsrat"]', 'http://x/bi/vo020.asp?VOLFDNR=1',
         'Der Integrationsrat hat am 15.09. beraten und empfiehlt die Annahme.', 'Der Rat beschließt das Konzept.',
         '[{{"order": 1, "name": "Erika Muster", "role": "Oberbürgermeisterin", "representation": "i.V."}}]',
         '{C1}', TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C2_TIME}'),
        ('musterstadt', 'allris_classic', '2', 'VO/2', 'Straßenbau in der Hauptstraße', 'Beschlussvorlage', NULL, NULL, NULL,
         false, NULL, NULL, 'http://x/bi/vo020.asp?VOLFDNR=2', NULL, NULL, NULL,
         '{C1}', TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C2_TIME}'),
        ('musterstadt', 'allris_classic', '3', 'VO/3', 'A;@SUM(1) und x,=1+2', 'Anfrage', NULL, NULL, NULL,
         false, NULL, NULL, 'http://x/bi/vo020.asp?VOLFDNR=3', NULL, NULL, NULL,
         '{C1}', TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C2_TIME}'),
        ('musterstadt-alt', 'allris_classic', '1', 'VO/1', 'Integrationskonzept', 'Beschlussvorlage', NULL, NULL, NULL,
         false, NULL, NULL, 'http://x/bi/vo020.asp?VOLFDNR=1', NULL, NULL, NULL,
         NULL, TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C1_TIME}'),
        ('beispielheim', 'sessionnet', '7', 'BV/2026/7', 'Neue Flüchtlingsunterkunft am Bahnhof', 'Beschlussvorlage',
         NULL, 'Ordnungsamt', '32', false, '["integration"]', '["Flüchtlingsunterkunft"]',
         'https://ratsinfo.beispielheim.de/bi/vo0050.asp?__kvonr=7', 'Die Unterbringung Geflüchteter erfordert eine Flüchtlingsunterkunft.',
         NULL, NULL, '{C3}', TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C1_TIME}')""")
    con.execute(f"""INSERT INTO meeting ("source", "system", "systemId", "name", "organizationName", "date", "deleted", "crawlId") VALUES
        ('musterstadt', 'allris_classic', '10', '3. Sitzung des Integrationsrates', 'Integrationsrat', DATE '2026-09-15', false, '{C1}'),
        ('musterstadt', 'allris_classic', '11', '12. Sitzung des Rates', 'Rat', DATE '2026-10-01', false, '{C1}'),
        ('musterstadt', 'allris_classic', '12', '4. Sitzung des Bauausschusses', 'Bauausschuss', DATE '2026-11-20', false, '{C2}'),
        ('beispielheim', 'sessionnet', '70', 'Sozialausschuss', 'Sozialausschuss', DATE '2026-10-20', false, '{C3}')""")
    con.execute(f"""INSERT INTO consultation ("source", "system", "systemId", "paper", "meeting", "agendaItem", "organizationName",
                   "role", "authoritative", "position", "deleted") VALUES
        ('musterstadt', 'allris_classic', '1-1', '1', '10', '100', 'Integrationsrat', 'Vorberatung', false, 1, false),
        ('musterstadt', 'allris_classic', '1-2', '1', '11', '101', 'Rat', 'Entscheidung', true, 2, false)""")
    con.execute(f"""INSERT INTO agenda_item ("source", "system", "systemId", "meeting", "number", "paper", "result", "resultRaw",
                   "unanimous", "votesYes", "votesNo", "votesAbstain", "resolutionText", "deleted", "crawlId", "firstSeen", "lastSeen") VALUES
        ('musterstadt', 'allris_classic', '100', '10', 'Ö 3', '1', 'postponed', 'vertagt', NULL, NULL, NULL, NULL, NULL, false,
         '{C1}', TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C2_TIME}'),
        ('musterstadt', 'allris_classic', '101', '11', 'Ö 7', '1', 'accepted', 'Ja: 22, Nein: 0, Enthaltungen: 11', false, 22, 0, 11,
         'Der Rat beschließt das Integrationskonzept in der vorgelegten Fassung.', false,
         '{C2}', TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C2_TIME}'),
        ('musterstadt', 'allris_classic', '102', '12', 'Ö 2', '2', 'rejected', 'abgelehnt', NULL, 3, 8, 0, NULL, false,
         '{C2}', TIMESTAMPTZ '{C2_TIME}', TIMESTAMPTZ '{C2_TIME}'),
        ('beispielheim', 'sessionnet', '700', '70', '5', '7', 'accepted', 'einstimmig beschlossen', true, NULL, NULL, NULL,
         'Die Verwaltung wird beauftragt, die Unterkunft zu errichten.', false, '{C3}', TIMESTAMPTZ '{C1_TIME}', TIMESTAMPTZ '{C1_TIME}')""")
    con.execute(f"""INSERT INTO file ("source", "system", "systemId", "parentType", "parent", "role", "position", "name",
                   "mimeType", "size", "accessUrl", "text", "deleted") VALUES
        ('musterstadt', 'allris_classic', '900', 'Paper', '1', 'auxiliaryFile', 2, 'Anlage 1 Konzept', 'application/pdf', 52000,
         'http://x/bi/do027.asp?DOLFDNR=900', NULL, false),
        ('musterstadt', 'allris_classic', '901', 'Paper', '1', 'mainFile', 1, 'Vorlage', 'application/pdf', 120000,
         'http://x/bi/do027.asp?DOLFDNR=901', 'Beschlussvorlage. Der Integrationsrat empfiehlt ...', false),
        ('beispielheim', 'sessionnet', '990', 'Paper', '7', 'mainFile', 1, 'Vorlage', 'application/pdf', 80000,
         'https://ratsinfo.beispielheim.de/bi/getfile.asp?id=990', NULL, false)""")
    con.execute(f"""INSERT INTO page ("crawlId", "url", "fetchedAt", "status", "kind") VALUES
        ('{C1}', 'http://x/bi/vo020.asp?VOLFDNR=1', TIMESTAMPTZ '{C1_TIME}', 200, 'paper'),
        ('{C2}', 'http://x/bi/vo020.asp?VOLFDNR=1', TIMESTAMPTZ '{C2_TIME}', 200, 'paper')""")
