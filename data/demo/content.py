"""The fictional council matter the demo site is generated from.

Three invented municipalities: two ALLRIS net 3.9.5 installs (Musterstadt,
Beispielhausen) and one SessionNet 5.5.4 install (Exempelstadt). Names,
people, offices and papers are made up; any likeness to a real town is
accidental. ``generate.py`` turns this description into static pages; the ids
(VOLFDNR, SILFDNR, __kvonr ...) are assigned there from the ``ids`` bases
below: papers and meetings in date order, everything else in list order, so
editing this file renumbers deterministically.

Conventions
-----------
* A paper's ``stations`` are its Beratungsfolge, in order:
  ``(committee key, role, meeting key or None, result, vote)``.
  ``meeting None``      -> station not yet scheduled (ALLRIS: "Bereit", no row B).
  Stations on meetings after ``TODAY`` get no result (the site shows "(offen)").
* ``topic``: "integration" for papers about integration/migration,
  "false_friend" for papers that only share a word with it (Systemintegration,
  integrierte Gesamtschule, integriertes Handlungskonzept, Inklusion), else None.
* ``pdf``: "signed" -> main document PDF carries a Würselen-style signature
  block; "plain" -> main document PDF without one.
* Meeting ``agenda``: "published" (to010/si0057 with items), "none" (future
  meeting whose agenda is not yet published), "cancelled" (ENTFÄLLT).
"""

from __future__ import annotations

TODAY = "2026-11-23"
# Calendar months that get a page (all months with meetings); the calendar
# without parameters redirects to the month of TODAY.
CALENDAR_MONTHS = ["2026-09", "2026-10", "2026-11"]

# The administration's signatures on main documents (PDF), Würselen style:
# "gez. i.V. R. Lindemann . gez. R. Lindemann ." / "Bürgermeister Beigeordneter".
SIGNATURES = {
    "musterstadt": [
        (("i.V.", "R. Lindemann", "Bürgermeister"), (None, "R. Lindemann", "Beigeordneter")),
        ((None, "M. Brenninkamp", "Amtsleiter"), (None, "A. Oster", "Sachbearbeiterin")),
    ],
    "beispielhausen": [
        ((None, "T. Renner", "Bürgermeister"), (None, "C. Haferkamp", "Fachbereichsleiterin")),
    ],
    "exempelstadt": [
        (("i.V.", "J. Terhorst", "Oberbürgermeisterin"), (None, "J. Terhorst", "Beigeordneter")),
        ((None, "K. Wiegand", "Fachbereichsleiter"), (None, "N. Ilgner", "Sachbearbeiterin")),
    ],
}

# --------------------------------------------------------------------------
# Musterstadt: ALLRIS net 3.9.5, "Vorlage" wording, names "Nachname, Vorname"
# --------------------------------------------------------------------------

MUSTERSTADT = {
    "slug": "musterstadt",
    "name": "Stadt Musterstadt",
    "system": "allris_classic",
    "basePath": "/musterstadt/bi/",
    "ags": "05999001",
    "headline": "Stadt Musterstadt",
    "style": {
        "paperWord": "Vorlage",  # h1 "Vorlage - VO/2026/0412", label "Vorlage-Art:"
        "authorLabel": "Verfasser:",
        "personFormat": "last_first",  # "Nachname, Vorname"
        "agendaNumbering": "flat",  # Ö 1, Ö 2 ...
        "dateLinks": False,  # Beratungsfolge dates as plain text
        "writesSachverhaltLabel": True,
    },
    "ids": {"paper": 5001, "meeting": 3001, "item": 7001, "doc": 90001, "committee": 101,
            "faction": 201, "person": 401, "text": 880001},
    "place": ("Rathaus Musterstadt", "Marktplatz 1, 59999 Musterstadt"),
    "committees": [
        ("rat", "Rat der Stadt Musterstadt", "Sitzung des Rates der Stadt Musterstadt", "Ratssaal"),
        ("hfa", "Haupt- und Finanzausschuss", "Sitzung des Haupt- und Finanzausschusses", "Sitzungsraum 1.12"),
        ("ir", "Integrationsrat", "Sitzung des Integrationsrates", "Sitzungsraum 1.12"),
        ("soz", "Ausschuss für Soziales, Gesundheit und Senioren",
         "Sitzung des Ausschusses für Soziales, Gesundheit und Senioren", "Sitzungsraum 2.04"),
        ("schul", "Ausschuss für Schule, Sport und Kultur",
         "Sitzung des Ausschusses für Schule, Sport und Kultur", "Sitzungsraum 2.04"),
        ("stek", "Ausschuss für Stadtentwicklung, Planung und Umwelt",
         "Sitzung des Ausschusses für Stadtentwicklung, Planung und Umwelt", "Ratssaal"),
        ("jha", "Jugendhilfeausschuss", "Sitzung des Jugendhilfeausschusses", "Jugendzentrum Nordfeld, Saal"),
    ],
    "factions": [
        ("spd", "SPD-Fraktion"),
        ("cdu", "CDU-Fraktion"),
        ("gruene", "Fraktion BÜNDNIS 90/DIE GRÜNEN"),
        ("fdp", "FDP-Fraktion"),
        ("linke", "Fraktion Die Linke"),
        ("wgm", "Wählergemeinschaft Musterstadt (WGM)"),
    ],
    # key, family name, given name, faction key or list name (Integrationsrat)
    "persons": [
        ("hollmann", "Hollmann", "Sabine", "spd"),
        ("albers", "Albers", "Karin", "spd"),
        ("brueckner", "Brückner", "Thomas", "cdu"),
        ("demir", "Demir", "Aylin", "gruene"),
        ("engels", "Engels", "Markus", "cdu"),
        ("fischer", "Fischer-Nowak", "Petra", "spd"),
        ("guel", "Gül", "Mehmet", "spd"),
        ("hahn", "Hahn", "Jürgen", "fdp"),
        ("iwanowa", "Iwanowa", "Swetlana", "linke"),
        ("jansen", "Jansen", "Heike", "cdu"),
        ("koehler", "Köhler", "Bernd", "wgm"),
        ("lorenz", "Lorenz", "Miriam", "gruene"),
        ("meyer", "Meyer zu Hörste", "Friedrich", "cdu"),
        ("nguyen", "Nguyen", "Van Long", "gruene"),
        ("oezkan", "Özkan", "Derya", "spd"),
        ("peters", "Peters", "Ulrike", "fdp"),
        ("quast", "Quast", "Andreas", "wgm"),
        ("roth", "Roth", "Stefanie", "linke"),
        ("schaefer", "Schäfer", "Klaus-Dieter", "cdu"),
        ("weiss", "Weiß", "Helmut", "cdu"),
        ("zimmermann", "Zimmermann", "Lea", "gruene"),
        ("tekin", "Tekin", "Hülya", "=Liste Internationale Vielfalt"),
        ("usta", "Usta", "Kerem", "=Liste Miteinander"),
        ("vasquez", "Vásquez", "Lucía", "=Internationale Liste"),
        ("wojcik", "Wójcik", "Agnieszka", "=Liste Internationale Vielfalt"),
        ("okafor", "Okafor", "Chidi", "=Internationale Liste"),
    ],
    "rosters": {
        "rat": [("hollmann", "Bürgermeisterin"), ("albers", "Stellvertretende Bürgermeisterin"),
                ("brueckner", "Ratsmitglied"), ("demir", "Ratsmitglied"), ("engels", "Ratsmitglied"),
                ("fischer", "Ratsmitglied"), ("guel", "Ratsmitglied"), ("hahn", "Ratsmitglied"),
                ("iwanowa", "Ratsmitglied"), ("jansen", "Ratsmitglied"), ("koehler", "Ratsmitglied"),
                ("lorenz", "Ratsmitglied"), ("meyer", "Ratsmitglied"), ("nguyen", "Ratsmitglied"),
                ("oezkan", "Ratsmitglied"), ("peters", "Ratsmitglied"), ("quast", "Ratsmitglied"),
                ("roth", "Ratsmitglied"), ("schaefer", "Ratsmitglied"), ("weiss", "Ratsmitglied")],
        "hfa": [("hollmann", "Vorsitzendes Mitglied"), ("albers", "Stellvertretender Vorsitz"),
                ("brueckner", "Ausschussmitglied"), ("demir", "Ausschussmitglied"),
                ("engels", "Ausschussmitglied"), ("hahn", "Ausschussmitglied"),
                ("koehler", "Ausschussmitglied")],
        "ir": [("tekin", "Vorsitzendes Mitglied"), ("usta", "Stellvertretender Vorsitz"),
               ("vasquez", "Mitglied"), ("wojcik", "Mitglied"), ("okafor", "Mitglied"),
               ("guel", "Ratsmitglied im Integrationsrat"), ("lorenz", "Ratsmitglied im Integrationsrat"),
               ("jansen", "Ratsmitglied im Integrationsrat")],
        "soz": [("fischer", "Vorsitzendes Mitglied"), ("oezkan", "Ausschussmitglied"),
                ("meyer", "Ausschussmitglied"), ("nguyen", "Ausschussmitglied"),
                ("roth", "Ausschussmitglied"), ("peters", "Stellvertretendes Ausschussmitglied")],
        "schul": [("jansen", "Vorsitzendes Mitglied"), ("demir", "Ausschussmitglied"),
                  ("schaefer", "Ausschussmitglied"), ("guel", "Ausschussmitglied"),
                  ("quast", "Ausschussmitglied"), ("zimmermann", "Sachkundige Bürgerin")],
        "stek": [("engels", "Vorsitzendes Mitglied"), ("lorenz", "Stellvertretender Vorsitz"),
                 ("albers", "Ausschussmitglied"), ("weiss", "Ausschussmitglied"),
                 ("hahn", "Ausschussmitglied"), ("iwanowa", "Ausschussmitglied")],
        "jha": [("nguyen", "Vorsitzendes Mitglied"), ("oezkan", "Ausschussmitglied"),
                ("zimmermann", "Sachkundige Bürgerin"), ("brueckner", "Ausschussmitglied"),
                ("roth", "Ausschussmitglied")],
    },
    "factionChairs": ["albers", "engels", "lorenz", "hahn", "iwanowa", "koehler"],
    # key, committee, date, start, end (None = not yet held), agenda state
    "meetings": [
        ("ir1", "ir", "2026-09-08", "17:00", "18:45", "published"),
        ("soz1", "soz", "2026-09-15", "17:00", "19:10", "published"),
        ("stek1", "stek", "2026-09-17", "18:00", "20:35", "published"),
        ("hfa1", "hfa", "2026-09-24", "17:00", "18:20", "published"),
        ("rat1", "rat", "2026-10-01", "16:00", "19:45", "published"),
        ("schul1", "schul", "2026-10-06", "17:00", "18:30", "published"),
        ("jha1", "jha", "2026-10-08", "17:00", None, "cancelled"),
        ("ir2", "ir", "2026-10-27", "17:00", "19:05", "published"),
        ("soz2", "soz", "2026-11-03", "17:00", "18:50", "published"),
        ("hfa2", "hfa", "2026-11-12", "17:00", "18:40", "published"),
        ("jha2", "jha", "2026-11-26", "15:00", None, "none"),
        ("stek2", "stek", "2026-11-26", "18:00", None, "published"),
        ("rat2", "rat", "2026-11-30", "16:00", None, "none"),
    ],
    # Non-public items (title, meetings) appended after the public part.
    "nonPublic": [
        ("Vergabe von Bauleistungen: Dachsanierung Grundschule Am Park, Los 3", ["hfa1", "hfa2"]),
        ("Grundstücksangelegenheiten: Ankauf einer Teilfläche an der Kanalstraße", ["rat1", "stek1"]),
        ("Personalangelegenheiten", ["rat1"]),
    ],
    "papers": [
        {
            "key": "ik", "ref": "VO/2026/0412", "date": "2026-08-18", "type": "Beschlussvorlage",
            "subject": "Fortschreibung des Integrationskonzeptes der Stadt Musterstadt 2027–2031",
            "author": "Kramer, Jutta", "clerk": "Kramer, Jutta", "lead": "Amt 50 Sozialamt",
            "topic": "integration", "pdf": "signed", "collection": True,
            "attachments": ["Integrationskonzept 2027-2031 (Entwurf)", "Ergebnisse der Beteiligungswerkstätten"],
            "stations": [("ir", "Vorberatung", "ir1", "ungeändert beschlossen", "einstimmig"),
                         ("soz", "Vorberatung", "soz1", "ungeändert beschlossen", "einstimmig bei 2 Enthaltungen"),
                         ("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "Ja: 14, Nein: 2, Enthaltungen: 4")],
            "bv": ["Der Rat der Stadt Musterstadt beschließt die Fortschreibung des Integrationskonzeptes für die "
                   "Jahre 2027 bis 2031 in der als Anlage 1 beigefügten Fassung.",
                   "Die Verwaltung wird beauftragt, dem Integrationsrat und dem Ausschuss für Soziales, Gesundheit "
                   "und Senioren jährlich über den Stand der Umsetzung zu berichten."],
            "sv": ["Das erste Integrationskonzept der Stadt Musterstadt wurde im Jahr 2019 beschlossen. Seitdem hat "
                   "sich die Zusammensetzung der Stadtgesellschaft deutlich verändert: Rund 23 Prozent der "
                   "Einwohnerinnen und Einwohner haben eine internationale Familiengeschichte.",
                   "In vier Beteiligungswerkstätten haben Migrantenorganisationen, der Integrationsrat, "
                   "Wohlfahrtsverbände und das Kommunale Integrationszentrum des Kreises die Handlungsfelder "
                   "Sprache, Bildung, Arbeit, Wohnen und gesellschaftliche Teilhabe neu bewertet.",
                   "Die Fortschreibung benennt für jedes Handlungsfeld Ziele, Maßnahmen und Kennzahlen. Die Kosten "
                   "der Maßnahmen sind im Entwurf des Haushaltsplans 2027 berücksichtigt."],
        },
        {
            "key": "gu", "ref": "VO/2026/0418", "date": "2026-08-27", "type": "Beschlussvorlage",
            "subject": "Unterbringung von Geflüchteten: Anmietung einer Gemeinschaftsunterkunft an der Kanalstraße 14",
            "author": "Brinkmann, Olaf", "clerk": "Brinkmann, Olaf", "lead": "Amt 50 Sozialamt",
            "topic": "integration", "pdf": "signed",
            "attachments": ["Lageplan Kanalstraße 14"],
            "stations": [("hfa", "Vorberatung", "hfa1", "geändert beschlossen", "mehrheitlich angenommen"),
                         ("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "Ja: 15, Nein: 3, Enthaltungen: 2")],
            "bv": ["Die Verwaltung wird beauftragt, das Gebäude Kanalstraße 14 für die Dauer von fünf Jahren zur "
                   "Unterbringung von bis zu 80 geflüchteten Menschen anzumieten.",
                   "Die Mittel in Höhe von jährlich 310.000 € werden im Teilergebnisplan 05 bereitgestellt."],
            "sv": ["Die Zahl der der Stadt Musterstadt zugewiesenen Geflüchteten ist im ersten Halbjahr 2026 "
                   "gestiegen. Die vorhandenen Übergangswohnheime sind zu 96 Prozent belegt.",
                   "Das ehemalige Verwaltungsgebäude an der Kanalstraße 14 kann mit geringem Aufwand hergerichtet "
                   "werden. Eine soziale Betreuung wird durch einen freien Träger sichergestellt."],
        },
        {
            "key": "ef", "ref": "VO/2026/0455", "date": "2026-10-05", "type": "Mitteilungsvorlage",
            "subject": "Einbürgerungsfeier 2026 im Ratssaal",
            "author": "Sommer, Birte", "clerk": "Sommer, Birte", "lead": "Amt 32 Bürgerdienste",
            "topic": "integration", "pdf": "plain",
            "stations": [("ir", "Kenntnisnahme", "ir2", "zur Kenntnis genommen", "zur Kenntnis genommen")],
            "bv": ["Der Integrationsrat nimmt die Planung der Einbürgerungsfeier am 12. Dezember 2026 zur Kenntnis."],
            "sv": ["Im Jahr 2026 wurden bislang 214 Personen in Musterstadt eingebürgert. Die Bürgermeisterin lädt "
                   "alle Neubürgerinnen und Neubürger zu einer Einbürgerungsfeier in den Ratssaal ein.",
                   "Der Integrationsrat wird gebeten, die Feier mit einem Grußwort und einem Kulturbeitrag zu "
                   "begleiten."],
        },
        {
            "key": "sk", "ref": "VO/2026/0459", "date": "2026-10-09", "type": "Beschlussvorlage",
            "subject": "Sprachkurse für Zugewanderte: Zuschuss an die Volkshochschule für zusätzliche Integrationskurse",
            "author": "Hartwig, Jana", "clerk": "Hartwig, Jana", "lead": "Amt 41 Kultur und Weiterbildung",
            "topic": "integration", "pdf": "signed",
            "stations": [("ir", "Vorberatung", "ir2", "ungeändert beschlossen", "einstimmig"),
                         ("soz", "Vorberatung", "soz2", "vertagt", "vertagt"),
                         ("rat", "Entscheidung", None, None, None)],
            "bv": ["Der Rat beschließt, der Volkshochschule Musterstadt für das Jahr 2027 einen Zuschuss von "
                   "45.000 € für zusätzliche Integrations- und Berufssprachkurse zu gewähren."],
            "sv": ["Die Wartelisten für Integrationskurse sind lang: Derzeit warten 137 Zugewanderte auf einen "
                   "Kursplatz. Besonders gefragt sind Kurse mit Kinderbetreuung und Abendkurse für Berufstätige.",
                   "Mit dem Zuschuss kann die Volkshochschule vier zusätzliche Kurse anbieten."],
        },
        {
            "key": "il", "ref": "VO/2026/0401", "date": "2026-08-03", "type": "Antrag",
            "subject": "Einrichtung von Stellen für Integrationslotsinnen und Integrationslotsen\n"
                       "Antrag der Fraktion BÜNDNIS 90/DIE GRÜNEN",
            "author": "Fraktion BÜNDNIS 90/DIE GRÜNEN", "lead": "Amt 50 Sozialamt",
            "topic": "integration", "pdf": "plain",
            "stations": [("ir", "Anhörung", None, None, None),
                         ("hfa", "Entscheidung", "hfa1", "abgelehnt", "Ja: 3, Nein: 4, Enthaltungen: 0")],
            "bv": ["Petitum/Beschluss:",
                   "Die Verwaltung wird beauftragt, zum Haushalt 2027 zwei Stellen für Integrationslotsinnen und "
                   "Integrationslotsen einzurichten, die neu zugewanderte Familien bei Behördengängen begleiten."],
            "sv": ["Begründung:",
                   "Viele neu zugewanderte Familien finden sich im Dickicht der Zuständigkeiten nicht zurecht. "
                   "Integrationslotsen haben sich in den Nachbarstädten bewährt."],
        },
        {
            "key": "ki", "ref": "VO/2026/0405", "date": "2026-08-10", "type": "Mitteilungsvorlage",
            "subject": "Jahresbericht 2025 des Kommunalen Integrationszentrums",
            "author": "Kramer, Jutta", "clerk": "Kramer, Jutta", "lead": "Amt 50 Sozialamt",
            "topic": "integration", "pdf": "plain", "attachments": ["Jahresbericht KI 2025"],
            "stations": [("ir", "Kenntnisnahme", "ir1", "zur Kenntnis genommen", None)],
            "bv": ["Der Integrationsrat nimmt den Jahresbericht 2025 des Kommunalen Integrationszentrums zur Kenntnis."],
            "sv": ["Das Kommunale Integrationszentrum berichtet über die Arbeitsschwerpunkte Bildung, "
                   "Sprachmittlung und die Förderung von Migrantenorganisationen. 2025 wurden 1.240 "
                   "Beratungsgespräche geführt."],
        },
        {
            "key": "si", "ref": "VO/2026/0471", "date": "2026-10-20", "type": "Beschlussvorlage",
            "subject": "Systemintegration der IT-Fachverfahren in das Rechenzentrum des Kreises Musterland",
            "author": "Pohl, Sebastian", "clerk": "Pohl, Sebastian", "lead": "Interner Service",
            "topic": "false_friend", "pdf": "plain",
            "stations": [("hfa", "Entscheidung", "hfa2", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Der Haupt- und Finanzausschuss stimmt der Verlagerung der Fachverfahren Einwohnerwesen, "
                   "Finanzwesen und Personalwesen in das Rechenzentrum des Kreises Musterland zu."],
            "sv": ["Die Systemintegration der Fachverfahren in das Rechenzentrum des Kreises senkt die Betriebskosten "
                   "und erhöht die Ausfallsicherheit. Schnittstellen zum Dokumentenmanagement werden angepasst."],
        },
        {
            "key": "igs", "ref": "VO/2026/0433", "date": "2026-09-14", "type": "Beschlussvorlage",
            "subject": "Integrierte Gesamtschule Musterstadt: Erweiterung der Mensa und Einrichtung eines Ganztagsbereichs",
            "author": "Wendt, Carola", "clerk": "Wendt, Carola", "lead": "Amt 40 Schulverwaltungsamt",
            "topic": "false_friend", "pdf": "plain",
            "stations": [("hfa", "Entscheidung", "hfa2", "ungeändert beschlossen", "einstimmig bei 1 Enthaltung")],
            "bv": ["Der Erweiterung der Mensa der Integrierten Gesamtschule Musterstadt um 120 Plätze und der "
                   "Einrichtung eines Ganztagsbereichs wird zugestimmt."],
            "sv": ["Die Integrierte Gesamtschule arbeitet seit dem Schuljahr 2025/2026 sechszügig. Die Mensa ist für "
                   "vier Züge ausgelegt."],
        },
        {
            "key": "ihk", "ref": "VO/2026/0421", "date": "2026-08-31", "type": "Beschlussvorlage",
            "subject": "Integriertes Handlungskonzept Innenstadt: Fortschreibung und Förderantrag Städtebauförderung 2027",
            "author": "Lammers, Tobias", "clerk": "Lammers, Tobias", "lead": "61 - Stadtplanung",
            "topic": "false_friend", "pdf": "signed", "attachments": ["Maßnahmenübersicht InHK Innenstadt"],
            "stations": [("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Der Rat beschließt die Fortschreibung des Integrierten Handlungskonzeptes Innenstadt und "
                   "beauftragt die Verwaltung, den Förderantrag zum Städtebauförderprogramm 2027 zu stellen."],
            "sv": ["Das Integrierte Handlungskonzept (InHK) Innenstadt bündelt die Maßnahmen zur Aufwertung der "
                   "Fußgängerzone, des Marktplatzes und der Wallanlagen. Der Eigenanteil der Stadt beträgt 30 Prozent."],
        },
        {
            "key": "inkl", "ref": "VO/2026/0436", "date": "2026-09-16", "type": "Mitteilungsvorlage",
            "subject": "Inklusion an Musterstädter Schulen: Bericht über die Schulbegleitung im Schuljahr 2025/2026",
            "author": "Wendt, Carola", "clerk": "Wendt, Carola", "lead": "Amt 40 Schulverwaltungsamt",
            "topic": "false_friend", "pdf": "plain",
            "stations": [("schul", "Kenntnisnahme", "schul1", "zur Kenntnis genommen", None)],
            "bv": ["Der Ausschuss nimmt den Bericht über die Schulbegleitung zur Kenntnis."],
            "sv": ["Im Schuljahr 2025/2026 wurden 96 Schülerinnen und Schüler mit Förderbedarf durch "
                   "Schulbegleitungen unterstützt. Die Inklusion an den Grundschulen wird durch Poollösungen gestärkt."],
        },
        {
            "key": "hh", "ref": "VO/2026/0466", "date": "2026-10-15", "type": "Beschlussvorlage",
            "subject": "Haushaltssatzung und Haushaltsplan 2027: Einbringung des Entwurfs",
            "author": "Voss, Henrike", "clerk": "Voss, Henrike", "lead": "Amt 20 Kämmerei",
            "topic": None, "pdf": "signed", "collection": True, "attachments": ["Entwurf Haushaltsplan 2027"],
            "stations": [("hfa", "Vorberatung", "hfa2", "zur Kenntnis genommen", None),
                         ("rat", "Entscheidung", "rat2", None, None)],
            "bv": ["Der Entwurf der Haushaltssatzung 2027 wird zur Beratung in die Fachausschüsse verwiesen."],
            "sv": ["Der Entwurf weist im Ergebnisplan einen Fehlbetrag von 4,2 Mio. € aus, der durch die "
                   "Ausgleichsrücklage gedeckt wird."],
        },
        {
            "key": "sh", "ref": "VO/2026/0440", "date": "2026-09-18", "type": "Beschlussvorlage",
            "subject": "Sanierung der Sporthalle Lindenweg: Vergabe der Planungsleistungen",
            "author": "Kessler, Uwe", "clerk": "Kessler, Uwe", "lead": "Amt 65 Gebäudemanagement",
            "topic": None, "pdf": "plain",
            "stations": [("schul", "Entscheidung", "schul1", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Die Verwaltung wird ermächtigt, die Planungsleistungen für die Sanierung der Sporthalle "
                   "Lindenweg bis zu einem Betrag von 280.000 € zu vergeben."],
            "sv": ["Die Sporthalle Lindenweg aus dem Jahr 1974 muss energetisch saniert werden."],
        },
        {
            "key": "bp", "ref": "VO/2026/0424", "date": "2026-09-01", "type": "Beschlussvorlage",
            "subject": "Bebauungsplan Nr. 112 \"Am Mühlenbach\": Aufstellungsbeschluss",
            "author": "Lammers, Tobias", "clerk": "Lammers, Tobias", "lead": "61 - Stadtplanung",
            "topic": None, "pdf": "plain", "attachments": ["Geltungsbereich Bebauungsplan Nr. 112"],
            "stations": [("stek", "Vorberatung", "stek1", "ungeändert beschlossen", "Ja: 5, Nein: 1, Enthaltungen: 0"),
                         ("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "mehrheitlich angenommen")],
            "bv": ["Für das Gebiet zwischen Mühlenweg und Mühlenbach wird die Aufstellung des Bebauungsplans "
                   "Nr. 112 \"Am Mühlenbach\" beschlossen."],
            "sv": ["Ziel der Planung ist ein Wohngebiet mit etwa 90 Wohneinheiten, davon 30 Prozent öffentlich gefördert."],
        },
        {
            "key": "fs", "ref": "VO/2026/0478", "date": "2026-11-02", "type": "Beschlussvorlage",
            "subject": "Fahrradstraße Schillerstraße: Vorstellung der Planung",
            "author": "Brandes, Ole", "clerk": "Brandes, Ole", "lead": "Amt 66 Tiefbauamt",
            "topic": None, "pdf": "plain",
            "stations": [("stek", "Entscheidung", "stek2", None, None)],
            "bv": ["Der Ausschuss stimmt der Einrichtung einer Fahrradstraße in der Schillerstraße zu."],
            "sv": ["Die Schillerstraße ist eine wichtige Verbindung im Radverkehrsnetz zwischen Bahnhof und Schulzentrum."],
        },
        {
            "key": "dig", "ref": "VO/2026/0438", "date": "2026-09-17", "type": "Anfrage",
            "subject": "Sachstand Digitalisierung der Schulen\nAnfrage der CDU-Fraktion",
            "author": "CDU-Fraktion", "lead": "Amt 40 Schulverwaltungsamt",
            "topic": None, "pdf": "plain",
            "stations": [("schul", "Kenntnisnahme", "schul1", "zur Kenntnis genommen", None)],
            "bv": ["Die Verwaltung wird um Beantwortung folgender Fragen gebeten: Wie viele Klassenräume sind mit "
                   "digitalen Tafeln ausgestattet? Wann ist der Glasfaseranschluss aller Schulen abgeschlossen?"],
            "sv": [],
        },
        {
            "key": "kita", "ref": "VO/2026/0462", "date": "2026-10-12", "type": "Beschlussvorlage",
            "subject": "Kindertagesbetreuung: Bedarfsplanung 2026/2027",
            "author": "Grote, Melanie", "clerk": "Grote, Melanie", "lead": "Amt 51 Jugendamt",
            "topic": None, "pdf": "plain",
            "stations": [("soz", "Vorberatung", "soz2", "zur Kenntnis genommen", None),
                         ("jha", "Vorberatung", "jha2", None, None),
                         ("rat", "Entscheidung", None, None, None)],
            "bv": ["Der Bedarfsplanung für die Kindertagesbetreuung 2026/2027 wird zugestimmt."],
            "sv": ["Für Kinder unter drei Jahren fehlen rechnerisch 84 Plätze, für Kinder über drei Jahren 41 Plätze."],
        },
        {
            "key": "fgs", "ref": "VO/2026/0416", "date": "2026-08-24", "type": "Beschlussvorlage",
            "subject": "Neufassung der Friedhofsgebührensatzung",
            "author": "Janßen, Frauke", "clerk": "Janßen, Frauke", "lead": "Amt 67 Grünflächen und Friedhöfe",
            "topic": None, "pdf": "plain",
            "stations": [("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "einstimmig bei 2 Enthaltungen")],
            "bv": ["Der Rat beschließt die Neufassung der Friedhofsgebührensatzung in der beigefügten Fassung."],
            "sv": ["Die Gebühren werden auf Grundlage der Kalkulation für 2027 bis 2029 angepasst."],
        },
        {
            "key": "ent", "ref": "VO/2026/0477", "date": "2026-10-30", "type": "Antrag",
            "subject": "Klimaanpassung: Entsiegelung des Schulhofs der Grundschule Am Park\nAntrag der SPD-Fraktion",
            "author": "SPD-Fraktion", "lead": "61 - Stadtplanung",
            "topic": None, "pdf": "plain",
            "stations": [("stek", "Vorberatung", "stek2", None, None),
                         ("hfa", "Entscheidung", None, None, None)],
            "bv": ["Petitum/Beschluss:",
                   "Die Verwaltung wird beauftragt, die Entsiegelung des Schulhofs der Grundschule Am Park zu planen "
                   "und Fördermittel aus dem Programm Klimaresilienz zu beantragen."],
            "sv": [],
        },
        {
            "key": "wlan", "ref": "VO/2026/0469", "date": "2026-10-19", "type": "Antrag",
            "subject": "Öffentliche WLAN-Hotspots in der Innenstadt\nAntrag der FDP-Fraktion",
            "author": "FDP-Fraktion", "lead": "Interner Service",
            "topic": None, "pdf": "plain",
            "stations": [("hfa", "Entscheidung", "hfa2", "vertagt", "vertagt")],
            "bv": ["Petitum/Beschluss:",
                   "Die Verwaltung wird beauftragt, an fünf Standorten in der Innenstadt öffentliche WLAN-Hotspots "
                   "einzurichten."],
            "sv": [],
        },
        {
            "key": "zo", "ref": "VO/2026/0419", "date": "2026-08-28", "type": "Beschlussvorlage",
            "subject": "Änderung der Zuständigkeitsordnung: Übertragung von Entscheidungen auf den "
                       "Haupt- und Finanzausschuss",
            "author": "Pohl, Sebastian", "clerk": "Pohl, Sebastian", "lead": "Amt 10 Hauptamt",
            "topic": None, "pdf": "plain",
            "stations": [("rat", "Entscheidung", "rat1", "geändert beschlossen", "Ja: 17, Nein: 0, Enthaltungen: 3")],
            "bv": ["Der Rat beschließt die Änderung der Zuständigkeitsordnung in der beigefügten Fassung."],
            "sv": ["Vergaben bis 250.000 € sollen künftig vom Haupt- und Finanzausschuss entschieden werden."],
        },
        {
            "key": "gk", "ref": "VO/2026/0464", "date": "2026-10-14", "type": "Mitteilungsvorlage",
            "subject": "Gesundheitskiosk Musterstadt-Süd: Zwischenbericht",
            "author": "Grote, Melanie", "clerk": "Grote, Melanie", "lead": "Amt 53 Gesundheitsamt",
            "topic": None, "pdf": "plain",
            "stations": [("soz", "Kenntnisnahme", "soz2", "zur Kenntnis genommen", None)],
            "bv": ["Der Ausschuss nimmt den Zwischenbericht zur Kenntnis."],
            "sv": ["Der Gesundheitskiosk wurde seit seiner Eröffnung von 2.300 Ratsuchenden besucht."],
        },
        {
            "key": "spk", "ref": "VO/2026/0480", "date": "2026-11-05", "type": "Beschlussvorlage",
            "subject": "Spielplatzkonzept 2027: Prioritätenliste",
            "author": "Grote, Melanie", "clerk": "Grote, Melanie", "lead": "Amt 51 Jugendamt",
            "topic": None, "pdf": "plain",
            "stations": [("stek", "Vorberatung", "stek2", None, None),
                         ("jha", "Entscheidung", "jha2", None, None)],
            "bv": ["Der Prioritätenliste für die Erneuerung von Spielplätzen im Jahr 2027 wird zugestimmt."],
            "sv": ["Von 46 städtischen Spielplätzen haben neun einen hohen Sanierungsbedarf."],
        },
    ],
}

# --------------------------------------------------------------------------
# Beispielhausen: ALLRIS net 3.9.5, "Drucksache" wording, "Vorname Nachname",
# grouped agenda numbering (Ö 3.1) and calendar links in the Beratungsfolge.
# --------------------------------------------------------------------------

BEISPIELHAUSEN = {
    "slug": "beispielhausen",
    "name": "Gemeinde Beispielhausen",
    "system": "allris_classic",
    "basePath": "/beispielhausen/bi/",
    "ags": "05999002",
    "headline": "Gemeinde Beispielhausen",
    "minutesDocuments": False,  # no "Niederschrift" PDF published
    "style": {
        "paperWord": "Drucksache",
        "authorLabel": "Verfasserin:",
        "personFormat": "first_last",
        "agendaNumbering": "grouped",
        "dateLinks": True,
        "writesSachverhaltLabel": False,
        "decoFrame": False,  # no table.risdeco around the content (as in embedded installs)
        "menu": False,  # no ALLRIS menu / bookmark bar (embedded in the town website)
        "paragraphStyle": "margin-top:0pt; margin-bottom:0pt; font-size:11pt",
    },
    "ids": {"paper": 1020101, "meeting": 1004101, "item": 1060101, "doc": 1500101, "committee": 1000011,
            "faction": 1131, "person": 1000701, "text": 1700001},
    "place": ("Rathaus Beispielhausen", "Kirchplatz 3, 59998 Beispielhausen"),
    "committees": [
        ("rat", "Gemeinderat Beispielhausen", "Sitzung des Gemeinderates", "Großer Sitzungssaal"),
        ("ha", "Hauptausschuss", "Sitzung des Hauptausschusses", "Kleiner Sitzungssaal"),
        ("bis", "Ausschuss für Bildung, Integration und Soziales",
         "Sitzung des Ausschusses für Bildung, Integration und Soziales", "Kleiner Sitzungssaal"),
        ("bau", "Bau- und Umweltausschuss", "Sitzung des Bau- und Umweltausschusses", "Großer Sitzungssaal"),
        ("jha", "Jugendhilfeausschuss", "Sitzung des Jugendhilfeausschusses", "Kleiner Sitzungssaal"),
    ],
    "factions": [
        ("spd", "SPD-Fraktion"),
        ("cdu", "CDU-Fraktion"),
        ("gruene", "GRÜNE-Fraktion"),
        ("fdp", "FDP-Fraktion"),
        ("bfb", "Fraktion Bürger für Beispielhausen"),
    ],
    "persons": [
        ("renner", "Renner", "Tobias", "cdu"),
        ("bergmann", "Bergmann", "Anja", "spd"),
        ("dietrich", "Dietrich", "Frank", "cdu"),
        ("kaya", "Kaya", "Yasemin", "gruene"),
        ("brandt", "Brandt", "Holger", "cdu"),
        ("ohlsen", "Ohlsen", "Sven", "fdp"),
        ("kowalski", "Kowalski", "Natalia", "spd"),
        ("goerlitz", "Görlitz", "Ralf", "bfb"),
        ("pohlmann", "Pohlmann", "Ingrid", "cdu"),
        ("marquardt", "Marquardt", "Jens-Uwe", "spd"),
        ("aydin", "Aydın", "Emine", "spd"),
        ("steinhoff", "Steinhoff", "Birgit", "gruene"),
        ("ruether", "Rüther", "Karl-Heinz", "bfb"),
        ("nowak", "Nowak", "Paulina", "gruene"),
        ("albrecht", "Albrecht", "Dirk", "fdp"),
        ("koetter", "Kötter", "Hans-Peter", "cdu"),
        ("vogel", "Vogel", "Sandra", "spd"),
        ("rahimi", "Rahimi", "Ali", "spd"),
        ("wendland", "Wendland", "Christine", "cdu"),
    ],
    "rosters": {
        "rat": [("renner", "Vorsitzendes Mitglied"), ("bergmann", "1. stellv. Bürgermeisterin"),
                ("dietrich", "2. stellv. Bürgermeister"), ("kaya", "Ratsmitglied"), ("brandt", "Ratsmitglied"),
                ("ohlsen", "Ratsmitglied"), ("kowalski", "Ratsmitglied"), ("goerlitz", "Ratsmitglied"),
                ("pohlmann", "Ratsmitglied"), ("marquardt", "Ratsmitglied"), ("aydin", "Ratsmitglied"),
                ("steinhoff", "Ratsmitglied"), ("ruether", "Ratsmitglied"), ("albrecht", "Ratsmitglied"),
                ("koetter", "Ratsmitglied"), ("vogel", "Ratsmitglied")],
        "ha": [("renner", "Vorsitzendes Mitglied"), ("bergmann", "Ausschussmitglied"),
               ("dietrich", "Ausschussmitglied"), ("kaya", "Ausschussmitglied"), ("ohlsen", "Ausschussmitglied"),
               ("goerlitz", "Ausschussmitglied"), ("pohlmann", "Stellvertretendes Ausschussmitglied")],
        "bis": [("aydin", "Vorsitzendes Mitglied"), ("nowak", "Stellvertr. Vorsitz"),
                ("kowalski", "Ausschussmitglied"), ("wendland", "Ausschussmitglied"),
                ("rahimi", "Sachkundiger Bürger"), ("albrecht", "Ausschussmitglied"),
                ("koetter", "Ausschussmitglied")],
        "bau": [("brandt", "Vorsitzendes Mitglied"), ("steinhoff", "Stellvertr. Vorsitz"),
                ("marquardt", "Ausschussmitglied"), ("ruether", "Ausschussmitglied"),
                ("ohlsen", "Ausschussmitglied"), ("pohlmann", "Ausschussmitglied")],
        "jha": [("vogel", "Vorsitzendes Mitglied"), ("nowak", "Ausschussmitglied"),
                ("wendland", "Ausschussmitglied"), ("rahimi", "Sachkundiger Bürger"),
                ("kaya", "Ausschussmitglied")],
    },
    "factionChairs": ["marquardt", "dietrich", "kaya", "ohlsen", "goerlitz"],
    "meetings": [
        ("bis1", "bis", "2026-09-10", "18:00", "20:05", "published"),
        ("bau1", "bau", "2026-09-16", "18:00", "19:40", "published"),
        ("ha1", "ha", "2026-09-22", "18:00", "19:15", "published"),
        ("rat1", "rat", "2026-09-29", "18:00", "21:10", "published"),
        ("jha1", "jha", "2026-10-07", "17:30", "19:00", "published"),
        ("bis2", "bis", "2026-10-15", "18:00", "19:55", "published"),
        ("bau2", "bau", "2026-10-21", "18:00", "19:30", "published"),
        ("ha2", "ha", "2026-11-10", "18:00", "19:20", "published"),
        ("rat2", "rat", "2026-11-17", "18:00", "20:45", "published"),
        ("bis3", "bis", "2026-11-24", "18:00", None, "published"),
        ("bau3", "bau", "2026-11-25", "18:00", None, "none"),
    ],
    "nonPublic": [
        ("Personalangelegenheiten", ["ha1", "ha2", "rat2"]),
        ("Vergabe der Unterhaltsreinigung für die Schulen, Lose 1 bis 4", ["rat1"]),
    ],
    "papers": [
        {
            "key": "ki", "ref": "21-0412", "date": "2026-08-24", "type": "Beschlussvorlage",
            "subject": "Kooperationsvereinbarung mit dem Kommunalen Integrationszentrum des Kreises Beispielland",
            "author": "Christine Haferkamp", "lead": "FB 3",
            "topic": "integration", "pdf": "signed", "collection": True,
            "attachments": ["Entwurf Kooperationsvereinbarung KI"],
            "stations": [("bis", "Vorberatung", "bis1", "ungeändert beschlossen", "einstimmig"),
                         ("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "einstimmig bei 2 Enthaltungen")],
            "bv": ["Beschlussvorschlag:",
                   "Der Gemeinderat stimmt dem Abschluss der Kooperationsvereinbarung mit dem Kommunalen "
                   "Integrationszentrum des Kreises Beispielland zu."],
            "sv": ["Das Kommunale Integrationszentrum (KI) des Kreises unterstützt die kreisangehörigen Gemeinden "
                   "bei der Integrationsarbeit. Mit der Vereinbarung erhält Beispielhausen eine feste "
                   "Ansprechperson, Sprachmittlerpools und Fortbildungen für Kitas und Schulen.",
                   "Der Gemeinde entstehen Kosten von 8.500 € im Jahr."],
        },
        {
            "key": "gu", "ref": "21-0431", "date": "2026-09-28", "type": "Mitteilungsvorlage",
            "subject": "Unterbringung von Geflüchteten: Belegungssituation der Übergangswohnheime und Prognose für 2027",
            "author": "Rolf Terbeck", "lead": "Dezernat III",
            "topic": "integration", "pdf": "plain",
            "stations": [("bis", "Kenntnisnahme", "bis2", "zur Kenntnis genommen", "zur Kenntnis genommen")],
            "bv": ["Der Ausschuss nimmt den Bericht zur Unterbringung von Geflüchteten zur Kenntnis."],
            "sv": ["In den beiden Übergangswohnheimen leben derzeit 142 geflüchtete Menschen. Für 2027 erwartet die "
                   "Bezirksregierung weitere Zuweisungen; die Verwaltung prüft die Anmietung zusätzlicher Wohnungen."],
        },
        {
            "key": "ir", "ref": "21-0433", "date": "2026-10-01", "type": "Antrag",
            "subject": "Bildung eines Integrationsrates nach § 27 GO NRW zur Kommunalwahl 2030\nAntrag der SPD-Fraktion",
            "author": "SPD-Fraktion", "lead": "Interner Service",
            "topic": "integration", "pdf": "plain",
            "stations": [("bis", "Vorberatung", "bis2", "geändert beschlossen", "Ja: 5, Nein: 2, Enthaltungen: 0"),
                         ("rat", "Entscheidung", "rat2", "ungeändert beschlossen", "Ja: 10, Nein: 4, Enthaltungen: 2")],
            "bv": ["Petitum/Beschluss:",
                   "Der Gemeinderat beschließt, zur Kommunalwahl 2030 einen Integrationsrat zu bilden. Die "
                   "Verwaltung legt bis zum 30.06.2027 den Entwurf einer Satzung vor."],
            "sv": ["Begründung:",
                   "In Beispielhausen leben mehr als 5.000 Menschen ohne deutsche Staatsangehörigkeit. Ein "
                   "Integrationsrat gibt ihnen eine Stimme in der Gemeindepolitik."],
        },
        {
            "key": "spr", "ref": "21-0437", "date": "2026-09-21", "type": "Beschlussvorlage",
            "subject": "Sprachförderung für neu zugewanderte Kinder in den Kindertageseinrichtungen",
            "author": "Miriam Okonkwo", "lead": "Fachbereich 5 - Jugend",
            "topic": "integration", "pdf": "signed",
            "stations": [("jha", "Vorberatung", "jha1", "ungeändert beschlossen", "einstimmig"),
                         ("bis", "Entscheidung", "bis3", None, None)],
            "bv": ["Beschlussvorschlag:",
                   "Der Ausschuss beschließt, in vier Kindertageseinrichtungen zusätzliche Sprachförderkräfte für "
                   "neu zugewanderte Kinder einzusetzen."],
            "sv": ["Seit 2025 wurden 63 Kinder im Kita-Alter aus dem Ausland zugewiesen. Viele sprechen noch kein "
                   "Deutsch. Das Landesprogramm Sprach-Kita deckt den Bedarf nicht."],
        },
        {
            "key": "igs", "ref": "21-0415", "date": "2026-08-27", "type": "Beschlussvorlage",
            "subject": "Integrierte Gesamtschule Beispielhausen: Festlegung der Zügigkeit ab dem Schuljahr 2027/2028",
            "author": "Christine Haferkamp", "lead": "FB 3",
            "topic": "false_friend", "pdf": "plain",
            "stations": [("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Beschlussvorschlag:",
                   "Die Integrierte Gesamtschule Beispielhausen wird ab dem Schuljahr 2027/2028 fünfzügig geführt."],
            "sv": ["Die Anmeldezahlen der letzten drei Jahre lagen jeweils über 130 Schülerinnen und Schülern."],
        },
        {
            "key": "iksk", "ref": "21-0440", "date": "2026-10-05", "type": "Mitteilungsvorlage",
            "subject": "Integriertes Klimaschutzkonzept: Zwischenbericht 2026",
            "author": "Lars Wiechers", "lead": "FB 6 Planen und Bauen",
            "topic": "false_friend", "pdf": "plain",
            "stations": [("bau", "Kenntnisnahme", "bau2", "zur Kenntnis genommen", None)],
            "bv": ["Der Ausschuss nimmt den Zwischenbericht zum Integrierten Klimaschutzkonzept zur Kenntnis."],
            "sv": ["Von 38 Maßnahmen des Integrierten Klimaschutzkonzeptes sind 17 umgesetzt."],
        },
        {
            "key": "bus", "ref": "21-0418", "date": "2026-09-01", "type": "Beschlussvorlage",
            "subject": "Inklusion im öffentlichen Raum: Barrierefreier Umbau von zwölf Bushaltestellen",
            "author": "Lars Wiechers", "lead": "FB 6 Planen und Bauen",
            "topic": "false_friend", "pdf": "plain",
            "stations": [("ha", "Entscheidung", "ha1", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Beschlussvorschlag:",
                   "Dem barrierefreien Umbau von zwölf Bushaltestellen wird zugestimmt."],
            "sv": ["Das Personenbeförderungsgesetz verlangt die vollständige Barrierefreiheit des ÖPNV. Der Umbau "
                   "wird zu 90 Prozent gefördert."],
        },
        {
            "key": "hh", "ref": "21-0452", "date": "2026-10-26", "type": "Beschlussvorlage",
            "subject": "Haushaltssatzung 2027 der Gemeinde Beispielhausen",
            "author": "Rolf Terbeck", "lead": "FB 2 Finanzen",
            "topic": None, "pdf": "signed",
            "stations": [("ha", "Vorberatung", "ha2", "zur Kenntnis genommen", None),
                         ("rat", "Entscheidung", None, None, None)],
            "bv": ["Beschlussvorschlag:", "Der Gemeinderat beschließt die Haushaltssatzung 2027."],
            "sv": ["Der Haushalt 2027 ist ausgeglichen. Die Hebesätze bleiben unverändert."],
        },
        {
            "key": "ogs", "ref": "21-0429", "date": "2026-09-24", "type": "Beschlussvorlage",
            "subject": "Erweiterung der Offenen Ganztagsschule an der Grundschule Waldweg",
            "author": "Christine Haferkamp", "lead": "FB 3",
            "topic": None, "pdf": "plain",
            "stations": [("ha", "Entscheidung", "ha2", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Beschlussvorschlag:", "Der Erweiterung der OGS Waldweg um zwei Gruppen wird zugestimmt."],
            "sv": ["Ab 2026 besteht ein Rechtsanspruch auf Ganztagsbetreuung für Grundschulkinder."],
        },
        {
            "key": "bp", "ref": "21-0421", "date": "2026-09-02", "type": "Beschlussvorlage",
            "subject": "Bebauungsplan Nr. 47 \"Gewerbegebiet Heidekamp\": Satzungsbeschluss",
            "author": "Lars Wiechers", "lead": "FB 6 Planen und Bauen",
            "topic": None, "pdf": "plain", "attachments": ["Planzeichnung B-Plan Nr. 47", "Abwägungstabelle"],
            "stations": [("bau", "Vorberatung", "bau1", "ungeändert beschlossen", "Ja: 6, Nein: 1, Enthaltungen: 0"),
                         ("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "mehrheitlich angenommen")],
            "bv": ["Beschlussvorschlag:",
                   "Der Bebauungsplan Nr. 47 \"Gewerbegebiet Heidekamp\" wird als Satzung beschlossen."],
            "sv": ["Im Verfahren gingen 14 Stellungnahmen ein. Die Abwägung ist als Anlage beigefügt."],
        },
        {
            "key": "jz", "ref": "21-0426", "date": "2026-09-15", "type": "Beschlussvorlage",
            "subject": "Jugendzentrum Alte Molkerei: Verlängerung des Trägervertrages",
            "author": "Miriam Okonkwo", "lead": "A51",
            "topic": None, "pdf": "plain",
            "stations": [("jha", "Entscheidung", "jha1", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Beschlussvorschlag:",
                   "Der Trägervertrag für das Jugendzentrum Alte Molkerei wird bis zum 31.12.2029 verlängert."],
            "sv": ["Der Träger betreibt das Jugendzentrum seit 2014 mit durchschnittlich 60 Besuchen am Tag."],
        },
        {
            "key": "fw", "ref": "21-0419", "date": "2026-09-07", "type": "Beschlussvorlage",
            "subject": "Brandschutzbedarfsplan 2027–2031",
            "author": "Rolf Terbeck", "lead": "Dezernat III",
            "topic": None, "pdf": "plain",
            "stations": [("rat", "Entscheidung", "rat1", "ungeändert beschlossen", "einstimmig")],
            "bv": ["Beschlussvorschlag:", "Der Brandschutzbedarfsplan 2027–2031 wird beschlossen."],
            "sv": ["Die Hilfsfrist von acht Minuten wird in 91 Prozent der Einsätze eingehalten."],
        },
        {
            "key": "db", "ref": "21-0442", "date": "2026-10-06", "type": "Antrag",
            "subject": "Verkehrsberuhigung in der Dorfstraße\nAntrag der Fraktion Bürger für Beispielhausen",
            "author": "Fraktion Bürger für Beispielhausen", "lead": "FB 6 Planen und Bauen",
            "topic": None, "pdf": "plain",
            "stations": [("bau", "Entscheidung", "bau2", "abgelehnt", "Ja: 2, Nein: 5, Enthaltungen: 0")],
            "bv": ["Petitum/Beschluss:",
                   "Die Verwaltung wird beauftragt, in der Dorfstraße Tempo 30 anzuordnen und zwei Fahrbahnschwellen "
                   "einzubauen."],
            "sv": [],
        },
        {
            "key": "lsb", "ref": "21-0435", "date": "2026-10-08", "type": "Mitteilungsvorlage",
            "subject": "Sanierung des Lehrschwimmbeckens: Sachstandsbericht",
            "author": "Rolf Terbeck", "lead": "Interner Service",
            "topic": None, "pdf": "plain", "addendum": "bis2",
            "stations": [("bis", "Kenntnisnahme", "bis2", "zur Kenntnis genommen", None)],
            "bv": ["Der Ausschuss nimmt den Sachstandsbericht zur Kenntnis."],
            "sv": ["Die Sanierung verzögert sich wegen Lieferschwierigkeiten bei der Filtertechnik um drei Monate."],
        },
        {
            "key": "kb", "ref": "21-0427", "date": "2026-09-16", "type": "Beschlussvorlage",
            "subject": "Kita-Gebühren: Neufassung der Elternbeitragssatzung",
            "author": "Miriam Okonkwo", "lead": "A51",
            "topic": None, "pdf": "plain",
            "stations": [("jha", "Vorberatung", "jha1", "vertagt", "vertagt"),
                         ("rat", "Entscheidung", "rat2", "geändert beschlossen", "Ja: 11, Nein: 3, Enthaltungen: 2")],
            "bv": ["Beschlussvorschlag:", "Die Elternbeitragssatzung wird in der beigefügten Fassung beschlossen."],
            "sv": ["Die Beitragsfreiheit wird auf Familien mit einem Jahreseinkommen bis 30.000 € ausgeweitet."],
        },
        {
            "key": "wp", "ref": "21-0444", "date": "2026-10-09", "type": "Anfrage",
            "subject": "Kommunale Wärmeplanung: Sachstand\nAnfrage der GRÜNE-Fraktion",
            "author": "GRÜNE-Fraktion", "lead": "FB 6 Planen und Bauen",
            "topic": None, "pdf": "plain",
            "stations": [("bau", "Kenntnisnahme", "bau2", "zur Kenntnis genommen", None)],
            "bv": ["Wann legt die Verwaltung den Entwurf der kommunalen Wärmeplanung vor?"],
            "sv": [],
        },
        {
            "key": "eak", "ref": "21-0458", "date": "2026-11-02", "type": "Beschlussvorlage",
            "subject": "Ehrenamtskarte: Einführung in der Gemeinde Beispielhausen",
            "author": "Christine Haferkamp", "lead": "FB 3",
            "topic": None, "pdf": "plain",
            "stations": [("bis", "Vorberatung", "bis3", None, None),
                         ("ha", "Entscheidung", None, None, None)],
            "bv": ["Beschlussvorschlag:", "Die Gemeinde führt zum 01.04.2027 die Ehrenamtskarte NRW ein."],
            "sv": ["Rund 40 Vereine und Einrichtungen haben Interesse an Vergünstigungen für Ehrenamtliche bekundet."],
        },
        {
            "key": "fgh", "ref": "21-0449", "date": "2026-10-20", "type": "Beschlussvorlage",
            "subject": "Neubau Feuerwehrgerätehaus Ost: Kostenfortschreibung",
            "author": "Lars Wiechers", "lead": "FB 6 Planen und Bauen",
            "topic": None, "pdf": "plain",
            "stations": [("rat", "Entscheidung", "rat2", "ungeändert beschlossen", "Ja: 15, Nein: 0, Enthaltungen: 1"),
                         ("bau", "Kenntnisnahme", "bau3", None, None)],
            "bv": ["Beschlussvorschlag:",
                   "Der Kostenfortschreibung für den Neubau des Feuerwehrgerätehauses Ost auf 3,9 Mio. € wird "
                   "zugestimmt."],
            "sv": ["Die Baupreise sind seit der Kostenberechnung um 14 Prozent gestiegen."],
        },
    ],
}

# --------------------------------------------------------------------------
# Exempelstadt: SessionNet 5.5.4 (Layout 6), .asp, UTF-8 with entities.
# --------------------------------------------------------------------------

EXEMPELSTADT = {
    "slug": "exempelstadt",
    "name": "Stadt Exempelstadt",
    "system": "sessionnet",
    "basePath": "/exempelstadt/buergerinfo/",
    "ags": "05999003",
    "headline": "Stadt Exempelstadt",
    "inlineTexts": True,  # vo0050 shows the Word texts inline (smcdocmsword), as Eschweiler does
    "ids": {"paper": 20101, "meeting": 7301, "item": 40101, "doc": 150001, "committee": 11,
            "faction": 31, "person": 2101},
    "place": ("Rathaus", "Rathausplatz 1, 59997 Exempelstadt"),
    # key, name, meeting name (calendar link text), room, siname prefix
    "committees": [
        ("rat", "Rat der Stadt Exempelstadt", "öffentliche/nicht öffentliche Sitzung des Rates der Stadt Exempelstadt",
         "Rathaus, Ratssaal", "Rat"),
        ("hfa", "Haupt- und Finanzausschuss", "öffentliche/nicht öffentliche Sitzung des Haupt- und Finanzausschusses",
         "Rathaus, Ratssaal", "HFA"),
        ("ci", "Ausschuss für Chancengerechtigkeit und Integration",
         "öffentliche/nicht öffentliche Sitzung des Ausschusses für Chancengerechtigkeit und Integration",
         "Rathaus, Sitzungszimmer 214", "ACI"),
        ("uk", "Ausschuss für Umwelt und Klimaschutz",
         "öffentliche Sitzung des Ausschusses für Umwelt und Klimaschutz", "Rathaus, Sitzungszimmer 214", "AUK"),
    ],
    "factions": [
        ("spd", "SPD-Fraktion"),
        ("cdu", "CDU-Fraktion"),
        ("gruene", "Fraktion Bündnis 90/Die Grünen"),
    ],
    "partyLabels": {"spd": "SPD", "cdu": "CDU", "gruene": "BÜNDNIS 90/DIE GRÜNEN"},
    "persons": [
        ("quandt", "Quandt", "Helene", "spd"),
        ("adamczyk", "Adamczyk", "Piotr", "spd"),
        ("boehm", "Böhm", "Annette", "cdu"),
        ("celik", "Çelik", "Serkan", "spd"),
        ("dreyer", "Dreyer", "Marlene", "gruene"),
        ("eickhoff", "Eickhoff", "Rainer", "cdu"),
        ("fuchs", "Fuchs", "Dorothee", "gruene"),
        ("grabowski", "Grabowski", "Lukas", "cdu"),
        ("haddad", "Haddad", "Rania", "spd"),
        ("imhoff", "Imhoff", "Gerd", "cdu"),
        ("joswig", "Joswig", "Tanja", "gruene"),
        ("kuester", "Küster", "Wolfgang", "cdu"),
        ("lehmkuhl", "Lehmkuhl", "Sina", "spd"),
        ("mensah", "Mensah", "Kwame", "gruene"),
    ],
    # committee -> [(section heading, [(person, Art der Mitarbeit)])]
    "rosters": {
        "rat": [("Vorsitz:", [("quandt", "Oberbürgermeisterin")]),
                ("Ratsmitglieder:", [("adamczyk", "Ratsmitglied"), ("boehm", "Ratsmitglied"),
                                     ("celik", "Ratsmitglied"), ("dreyer", "Ratsmitglied"),
                                     ("eickhoff", "Ratsmitglied"), ("fuchs", "Ratsmitglied"),
                                     ("grabowski", "Ratsmitglied"), ("haddad", "Ratsmitglied"),
                                     ("imhoff", "Ratsmitglied"), ("joswig", "Ratsmitglied"),
                                     ("kuester", "Ratsmitglied"), ("lehmkuhl", "Ratsmitglied")])],
        "hfa": [("Vorsitz:", [("quandt", "Oberbürgermeisterin")]),
                ("Ausschussmitglieder mit Stimmrecht:", [("adamczyk", "Ratsmitglied"), ("boehm", "Ratsmitglied"),
                                                         ("dreyer", "Ratsmitglied"), ("eickhoff", "Ratsmitglied"),
                                                         ("haddad", "Ratsmitglied")])],
        "ci": [("Vorsitz:", [("haddad", "Ratsmitglied")]),
               ("Ausschussmitglieder mit Stimmrecht:", [("celik", "Ratsmitglied"), ("fuchs", "Ratsmitglied"),
                                                        ("grabowski", "Ratsmitglied"),
                                                        ("mensah", "Sachk. Bürger/in (mit Stimmr.)")]),
               ("Ausschussmitglieder mit beratender Stimme:", [("lehmkuhl", "Beratendes Mitglied")])],
        "uk": [("Vorsitz:", [("dreyer", "Ratsmitglied")]),
               ("Ausschussmitglieder mit Stimmrecht:", [("imhoff", "Ratsmitglied"), ("joswig", "Ratsmitglied"),
                                                        ("kuester", "Ratsmitglied"), ("lehmkuhl", "Ratsmitglied")])],
        "spd": [("Fraktionsvorsitz:", [("adamczyk", "Fraktionsvorsitzender")]),
                ("Mitglieder:", [("celik", "Fraktionsmitglied"), ("haddad", "Fraktionsmitglied"),
                                 ("lehmkuhl", "Fraktionsmitglied")])],
        "cdu": [("Fraktionsvorsitz:", [("boehm", "Fraktionsvorsitzende")]),
                ("Mitglieder:", [("eickhoff", "Fraktionsmitglied"), ("grabowski", "Fraktionsmitglied"),
                                 ("imhoff", "Fraktionsmitglied"), ("kuester", "Fraktionsmitglied")])],
        "gruene": [("Fraktionsvorsitz:", [("dreyer", "Fraktionsvorsitzende")]),
                   ("Mitglieder:", [("fuchs", "Fraktionsmitglied"), ("joswig", "Fraktionsmitglied"),
                                    ("mensah", "Sachkundiger Bürger")])],
    },
    "meetings": [
        ("ci1", "ci", "2026-09-17", "17:00", "18:45", "published"),
        ("uk1", "uk", "2026-09-24", "17:00", "19:00", "published"),
        ("hfa1", "hfa", "2026-10-08", "16:30", "18:10", "published"),
        ("rat1", "rat", "2026-10-22", "17:00", "20:15", "published"),
        ("ci2", "ci", "2026-11-12", "17:00", "18:30", "published"),
        ("hfa2", "hfa", "2026-11-26", "16:30", None, "published"),
        ("uk2", "uk", "2026-11-30", "17:00", None, "none"),
    ],
    "nonPublic": [
        ("Grundstücksangelegenheiten", ["hfa1", "rat1"]),
    ],
    "papers": [
        {
            "key": "kim", "ref": "0231/2026", "date": "2026-08-25", "type": "Beschlussvorlage",
            "subject": "Kommunales Integrationsmanagement: Fortführung des Case Managements für Zugewanderte 2027",
            "lead": "Fachbereich 2 – Soziales, Integration und Wohnen", "akz": "50.3 kim",
            "topic": "integration", "pdf": "signed", "attachments": ["Anlage 1: Evaluationsbericht KIM 2025"],
            "stations": [("ci", "Vorberatung", "ci1", "einstimmig zugestimmt", "Ja: 5, Nein: 0, Enthaltungen: 0, Befangen: 0"),
                         ("hfa", "Vorberatung", "hfa1", "einstimmig zugestimmt", "Ja: 6, Nein: 0, Enthaltungen: 0, Befangen: 0"),
                         ("rat", "Entscheidung", "rat1", "mehrheitlich zugestimmt", "Ja: 9, Nein: 2, Enthaltungen: 2, Befangen: 0")],
            "bv": ["Der Rat beschließt die Fortführung des Kommunalen Integrationsmanagements (KIM) im Jahr 2027. "
                   "Die Verwaltung wird beauftragt, die Landesförderung zu beantragen."],
            "sv": ["Das Kommunale Integrationsmanagement begleitet Zugewanderte mit einem rechtskreisübergreifenden "
                   "Case Management. 2025 wurden 318 Personen betreut, davon fanden 74 eine Arbeit oder Ausbildung.",
                   "Die Landesförderung deckt 80 Prozent der Personalkosten."],
        },
        {
            "key": "ewk", "ref": "0258/2026", "date": "2026-10-13", "type": "Beschlussvorlage",
            "subject": "Einbürgerungsfeier und Willkommenskultur: Konzept 2027",
            "lead": "Fachbereich 2 – Soziales, Integration und Wohnen",
            "topic": "integration", "pdf": "plain",
            "stations": [("ci", "Vorberatung", "ci2", "einstimmig zugestimmt", "Ja: 4, Nein: 0, Enthaltungen: 2, Befangen: 0"),
                         ("hfa", "Entscheidung", "hfa2", None, None)],
            "bv": ["Dem Konzept für Einbürgerungsfeiern und Willkommensveranstaltungen im Jahr 2027 wird zugestimmt."],
            "sv": ["Zweimal im Jahr sollen Neubürgerinnen und Neubürger im Ratssaal willkommen geheißen werden."],
        },
        {
            "key": "whg", "ref": "0262/2026", "date": "2026-10-20", "type": "Mitteilungsvorlage",
            "subject": "Unterbringung von Geflüchteten: Anmietung von Wohnungen im Stadtgebiet",
            "lead": "Fachbereich 2 – Soziales, Integration und Wohnen",
            "topic": "integration", "pdf": "plain",
            "stations": [("ci", "Kenntnisnahme", "ci2", "zur Kenntnis genommen", None)],
            "bv": ["Der Ausschuss nimmt den Bericht zur Kenntnis."],
            "sv": ["Die Stadt hat 2026 bislang 23 Wohnungen für geflüchtete Familien angemietet."],
        },
        {
            "key": "isek", "ref": "0240/2026", "date": "2026-09-02", "type": "Beschlussvorlage",
            "subject": "Integriertes städtebauliches Entwicklungskonzept (ISEK) Bahnhofsviertel",
            "lead": "Fachbereich 6 – Stadtplanung", "akz": "61.2 isek",
            "topic": "false_friend", "pdf": "plain",
            "stations": [("uk", "Vorberatung", "uk1", "einstimmig zugestimmt", "Ja: 5, Nein: 0, Enthaltungen: 0, Befangen: 0"),
                         ("rat", "Entscheidung", "rat1", "einstimmig zugestimmt", "Ja: 13, Nein: 0, Enthaltungen: 0, Befangen: 0")],
            "bv": ["Das Integrierte städtebauliche Entwicklungskonzept Bahnhofsviertel wird beschlossen."],
            "sv": ["Das ISEK ist Voraussetzung für Mittel der Städtebauförderung."],
        },
        {
            "key": "ksp", "ref": "0242/2026", "date": "2026-09-03", "type": "Beschlussvorlage",
            "subject": "Klimaschutzprogramm 2030: Fortschreibung",
            "lead": "Fachbereich 7 – Umwelt", "topic": None, "pdf": "plain",
            "stations": [("uk", "Vorberatung", "uk1", "geändert zugestimmt", "Ja: 3, Nein: 1, Enthaltungen: 1, Befangen: 0"),
                         ("rat", "Entscheidung", "rat1", "mehrheitlich zugestimmt", "Ja: 8, Nein: 3, Enthaltungen: 2, Befangen: 0")],
            "bv": ["Das fortgeschriebene Klimaschutzprogramm 2030 wird beschlossen."],
            "sv": ["Die Treibhausgasemissionen sind seit 2020 um 17 Prozent gesunken."],
        },
        {
            "key": "hh", "ref": "0270/2026", "date": "2026-11-04", "type": "Beschlussvorlage",
            "subject": "Haushaltsplan 2027: Einbringung des Entwurfs",
            "lead": "Fachbereich 1 – Finanzen", "topic": None, "pdf": "signed",
            "stations": [("hfa", "Vorberatung", "hfa2", None, None)],
            "bv": ["Der Entwurf des Haushaltsplans 2027 wird in die Fachausschüsse verwiesen."],
            "sv": ["Der Entwurf sieht Investitionen von 38 Mio. € vor."],
        },
        {
            "key": "bss", "ref": "0244/2026", "date": "2026-09-07", "type": "Beschlussvorlage",
            "subject": "Änderung der Baumschutzsatzung",
            "lead": "Fachbereich 7 – Umwelt", "topic": None, "pdf": "plain",
            "stations": [("uk", "Entscheidung", "uk1", "vertagt", None)],
            "bv": ["Die Baumschutzsatzung wird in der beigefügten Fassung geändert."],
            "sv": ["Künftig sollen auch Obstbäume ab einem Stammumfang von 100 cm geschützt sein."],
        },
        {
            "key": "stp", "ref": "0249/2026", "date": "2026-09-21", "type": "Beschlussvorlage",
            "subject": "Stellenplan 2027",
            "lead": "Fachbereich 1 – Finanzen", "akz": "11.1 st", "topic": None, "pdf": "plain",
            "attachments": ["Anlage 1: Entwurf Stellenplan 2027"],
            "stations": [("hfa", "Vorberatung", "hfa1", "einstimmig zugestimmt", "Ja: 6, Nein: 0, Enthaltungen: 0, Befangen: 0"),
                         ("rat", "Entscheidung", "rat1", "einstimmig zugestimmt", "Ja: 13, Nein: 0, Enthaltungen: 0, Befangen: 0")],
            "bv": ["Der Stellenplan 2027 wird beschlossen."],
            "sv": ["Der Stellenplan weist 12,5 zusätzliche Stellen aus, überwiegend im Bereich Kindertagesbetreuung."],
        },
        {
            "key": "kwp", "ref": "0251/2026", "date": "2026-09-23", "type": "Beschlussvorlage",
            "subject": "Kommunale Wärmeplanung: Beauftragung eines Fachbüros",
            "lead": "Fachbereich 7 – Umwelt", "topic": None, "pdf": "plain",
            "stations": [("hfa", "Vorberatung", "hfa1", "einstimmig zugestimmt", "Ja: 6, Nein: 0, Enthaltungen: 0, Befangen: 0"),
                         ("rat", "Entscheidung", "rat1", "einstimmig zugestimmt", "Ja: 12, Nein: 0, Enthaltungen: 1, Befangen: 0")],
            "bv": ["Die Verwaltung wird ermächtigt, ein Fachbüro mit der kommunalen Wärmeplanung zu beauftragen."],
            "sv": ["Die Wärmeplanung muss bis zum 30.06.2028 vorliegen."],
        },
        {
            "key": "sau", "ref": "0253/2026", "date": "2026-09-28", "type": "Anfrage",
            "subject": "Anfrage der CDU-Fraktion: Sauberkeit in der Innenstadt",
            "lead": "Fachbereich 3 – Ordnung", "topic": None, "pdf": "plain",
            "stations": [("hfa", "Kenntnisnahme", "hfa1", "zur Kenntnis genommen", None)],
            "bv": ["Wie oft werden die Papierkörbe in der Fußgängerzone geleert?"],
            "sv": [],
        },
        {
            "key": "twb", "ref": "0246/2026", "date": "2026-09-09", "type": "Antrag",
            "subject": "Antrag der Fraktion Bündnis 90/Die Grünen: Trinkwasserbrunnen in der Fußgängerzone",
            "lead": "Fachbereich 7 – Umwelt", "topic": None, "pdf": "plain",
            "stations": [("uk", "Vorberatung", "uk1", "geändert zugestimmt", "Ja: 3, Nein: 1, Enthaltungen: 1, Befangen: 0"),
                         ("hfa", "Entscheidung", "hfa1", "einstimmig zugestimmt", "Ja: 6, Nein: 0, Enthaltungen: 0, Befangen: 0")],
            "bv": ["Die Verwaltung wird beauftragt, zwei Trinkwasserbrunnen in der Fußgängerzone aufzustellen."],
            "sv": [],
        },
    ],
}

MUNICIPALITIES = [MUSTERSTADT, BEISPIELHAUSEN, EXEMPELSTADT]
