"""Draw the second towns sample (tests/data/topic_labels_towns_repos.jsonl) from public repositories.

Usage (from the project root; the mirrors are git directories of the two repositories)::

    .venv/bin/python tests/benchmarks/sample_topic_towns.py MAGDEBURG_GIT NORDSTEMMEN_GIT > rows.jsonl
    .venv/bin/python tests/benchmarks/sample_topic_towns.py --blind MAGDEBURG_GIT NORDSTEMMEN_GIT > blind.jsonl

``--blind`` draws the blind set (tests/data/topic_labels_towns_blind.jsonl): seed
BLIND_SEED, sizes BLIND_DRAWS, leaving out every paper and title of
tests/data/topic_labels_towns_repos.jsonl. ``--blind2`` draws the second blind set
(topic_labels_towns_blind2.jsonl, Magdeburg only, after round 5): seed BLIND2_SEED,
sizes BLIND2_DRAWS, leaving out the papers and titles of both earlier files.

* Magdeburg: code-for-magdeburg/StadtratWatch-web, ``data/papers/paper-graphs-*.json``
  (the Landeshauptstadt's papers as the project scraped them: reference, type, title).
* Nordstemmen: levino/nordstemmen-ai, ``documents/papers/*/metadata.json`` (the
  Gemeinde's OParl papers) and the text of the main file from the matching
  ``*.embeddings.json`` (its chunks in order, overlaps removed, cut at 3,000 characters).

Each (town, title) is kept once (first paper in id order). Per town: ``random``
(``random.Random(SEED).sample``) and then ``broad`` (round-robin over PATTERNS, one
paper per pattern per round, patterns and candidates shuffled by the same generator).
PATTERNS are the sampling patterns of the Karlsruhe held-out and test sets, merged
(tests/data/README_topic_labels.md): words for the topic the taxonomy may lack and
their false friends. The rows are printed with empty labels, to be labelled by hand
before the matcher is run on them.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

SEED = 20261203
TEXT_CHARS = 3000
DRAWS = {"magdeburg": {"random": 60, "broad": 160}, "nordstemmen": {"random": 40, "broad": 60}}
BLIND_SEED = 20261204
BLIND_DRAWS = {"magdeburg": {"random": 40, "broad": 120}, "nordstemmen": {"random": 0, "broad": 40}}
BLIND2_SEED = 20261205
BLIND2_DRAWS = {"magdeburg": {"random": 40, "broad": 200}}
REPOS_LABELS = Path(__file__).resolve().parents[1] / "data" / "topic_labels_towns_repos.jsonl"
BLIND_LABELS = Path(__file__).resolve().parents[1] / "data" / "topic_labels_towns_blind.jsonl"
PATTERNS = {
    'Asylbewerber': 'asylbewerb',
    'Schutzsuchende': 'schutzsuch',
    'Vertriebene': 'vertrieben',
    'Aussiedler': 'aussiedler',
    'Roma': '(?<![\\w-])roma(?![\\w-])',
    'Sinti': 'sinti',
    'Migrant': 'migrant',
    'Herkunft': 'herkunft',
    'Mehrsprachig': 'mehrsprachig',
    'Dolmetsch': 'dolmetsch',
    'Sprachförder': 'sprachförder',
    'Deutschkurs': 'deutschkurs',
    'Integrationskurs': 'integrationskurs',
    'Aufenthalt': 'aufenthalts?(?:recht|status|titel|erlaubnis|gesetz)|aufenthalt\\s+(?:in|von)\\s+deutschland',
    'Duldung': 'duldung|geduldet',
    'Abschiebung': 'abschieb',
    'Ausländerbeirat': 'ausländerbeirat',
    'Migrationsbeirat': 'migrationsbeirat',
    'Partnerschaft': 'partnerschaft\\s+mit|partnerstadt|städtepartnerschaft',
    'Ukraine': 'ukrain',
    'Syrien': 'syri(?:en|sch)',
    'Afghanistan': 'afghan',
    'Unterkunft': 'unterkunft|unterkünft',
    'Wohnheim': 'wohnheim',
    'Landeserstaufnahme': 'landeserstaufnahme|erstaufnahme',
    'LEA': '(?<![\\w-])LEA(?![\\w-])',
    'Antisemitismus': 'antisemit',
    'Fremdenfeindlich': 'fremdenfeind',
    'Vielfalt': 'vielfalt',
    'Diversität': 'diversität|diversity',
    'Chancengleich': 'chancengleich',
    'Teilhabe': 'teilhabe',
    'Flüchtling/Geflüchtet': 'flüchtl|geflüchtet|geflohen',
    'Nationalität': 'nationalität|staatsangehörig',
    'Interkulturell': 'interkult|kultursensib',
    'Sprachkenntnis': 'sprachkenntnis|deutschkenntnis|sprachbarrier',
    'Kriegsflucht': 'krieg\\w*\\s+(?:in|aus)\\s+der\\s+ukraine|vor\\s+dem\\s+krieg',
    'Ausländer (text)': 'ausländ',
    'Neubürger': 'neubürger|neu\\s+zugezogen|neuzugezogen|neuankömml',
    'Weltoffen/Toleranz': 'weltoffen|toleranz',
    'Rechtsextrem': 'rechtsextrem|rechtsradikal|rechtspopul',
    'Islam/Moschee': 'islam|moschee|muslim',
    'Türkisch': 'türk(?:isch|ei|in|en)',
    'Gastarbeiter': 'gastarbeit|anwerbeabkommen',
    'Sprachcafé/Begegnung': 'sprachcaf|begegnungs(?:stätte|café|zentrum|ort)',
    'Notunterkunft': 'notunterk|erstunterbring|containerdorf|wohncontainer',
    'Krieg': 'kriegsgebiet|bürgerkrieg|angriffskrieg|kriegsflücht|vertreib',
    'Rückkehr': 'rückkehr(?:beratung|hilfe|förder)|rückführ',
    'Heimat': 'heimatland|neue\\s+heimat|heimat\\s+verl',
    'Kulturverein': 'kulturverein|deutsch-\\w+\\s+(?:kultur|freundschafts)',
    'International': 'internationale[nr]?\\s+(?:begegnung|kultur|frauen|gärten|garten|fest|woche)|kulturen',
    'Sprachstand': 'sprachstand|sprachliche\\s+bildung|sprachkompetenz|sprach-?kita',
    'Europa-Herkunft': 'eu-bürger|osteurop|südosteurop|rumän|bulgar',
    'Zugewandert': 'zugewandert|neuzugewandert|neu\\s+zugewandert',
    'Drittstaat': 'drittstaat',
    'Bleiberecht': 'bleiberecht|bleibeperspektive',
    'Kirchenasyl': 'kirchenasyl',
    'Seenotrettung/Sicherer Hafen': 'seenot|sichere[rn]?\\s+hafen|sichere\\s+häfen|seebrücke',
    'Welcome': 'welcome|willkommen',
    'Sprach-/Kulturmittler': 'sprachmittl|kulturmittl|dolmetsch',
    'Migrantenorganisation': 'migrantenorganisation|migrantenselbstorganisation|migrantenverein',
    'Moschee/Muslim': 'moschee|muslim|islam',
    'Rechtsextremismus': 'rechtsextrem|rechtsradikal|neonazi',
    'Hass': 'hasskrim|hassrede|hate\\s+speech|hetze',
    'Gleichbehandlung': 'gleichbehandlung|benachteiligung',
    "Vielfalt'": 'vielfalt|diversität|divers(?:e|ity)',
    'Ausländer': 'ausländer',
    'Flucht': 'flucht|flieh|geflohen',
    "Krieg'": 'krieg',
    'Syrien/Afghanistan/Irak': 'syri|afghan|irak',
    'Türkei/Türkisch': 'türk',
    "Nationalität'": 'nationalität|staatsbürger|staatsangehörig',
    'Herkunftsland': 'herkunftsland|heimatland|herkunftsstaat',
    'Fremdsprachig': 'fremdsprach|mehrsprach|zweisprach',
    'Deutschkenntnisse': 'deutschkenntnis|sprachkenntnis|sprachbarriere',
    'Minderheit': 'minderheit',
    'Religion': 'religion|religiös|kopftuch',
    'Menschenrechte': 'menschenrecht',
    "Antisemitismus'": 'antisemit|jüdisch',
    'Demokratie': 'demokratie\\s+leben|für\\s+demokratie|demokratieförder',
    'Weltoffen': 'weltoffen|toleranz|respekt',
    "Teilhabe'": 'teilhabe|chancengerecht|chancengleich',
    'Unterkunft/Wohnheim': 'unterkunft|unterkünft|wohnheim|wohncontainer|containeranlage',
    'Notunterkunft/Turnhalle': 'notunterk|turnhalle\\w*\\s+(?:als|für)|erstunterbringung|sammelunterkunft',
    'Inobhutnahme/Clearing': 'inobhutnahme|clearing|vormundschaft|vormünder',
    'Anerkennung Abschlüsse': 'anerkennung\\w*\\s+(?:ausländ|von\\s+abschl|der\\s+abschl|beruf)|berufsanerkennung',
    'Fachkräfte Ausland': 'fachkräfte\\w*\\s+aus\\s+dem\\s+ausland|ausländische\\w*\\s+fachkr|fachkräfteeinwanderung',
    'Patenschaft/Mentoring': 'patenschaft|pat(?:en|innen)programm|mentoring|lotsen',
    'Begegnung': 'begegnung',
    'Elterncafé/Frauentreff': 'elterncaf|frauentreff|müttertreff|mütterzentr|frauencaf',
    'Partnerstadt/Austausch': 'partnerstadt|städtepartner|jugendaustausch|schüleraustausch',
    'Entwicklungszusammenarbeit': 'entwicklungszusammenarbeit|entwicklungspolit|eine\\s+welt',
    'Solidarität/Spenden': 'solidarität|hilfsgüter|hilfstransport|spendenaktion',
    'Grenze/Europa': 'grenzüberschreit|schengen|europäische\\s+union|eu-erweiterung',
    'Wahlrecht': 'wahlrecht|wahlberechtigt',
    'Bürgerbüro/Pass': 'bürgerbüro|reisepass|visum|visa\\b|aufenthalt',
    'Brennpunkt/Sozialraum': 'brennpunkt|benachteiligte\\w*\\s+(?:stadtteil|quartier)|soziale\\s+stadt',
    'Sinti/Roma': 'sinti|(?<![\\w-])roma(?![\\w-])',
    'Kolonial': 'kolonial|postkolonial|straßen(?:um)?benennung',
    'Heimat/Vertriebene': 'vertrieben|heimatvertrieb|landsmannschaft',
    'Sprachförderung': 'sprachförder|sprachbildung|sprach-?kita|sprachstand',
    'Nachbarschaft/Quartier': 'nachbarschaftstreff|stadtteiltreff|quartiersmanagement|nachbarschaftshilfe',
    "International'": 'internationa',
    'Begegnungszentrum': 'begegnungs(?:zentrum|stätte|café|cafe|haus|ort)',
    'Ankommen': 'ankommen|ankunft|neuankömml|neubürger|neuzugezogen|neu\\s+zugezogen',
    'Willkommen': 'willkommen|welcome',
    'Bezahlkarte': 'bezahlkarte',
    'Hafen': 'hafen|häfen',
    'Herkunft/Heimat': 'herkunft|heimat',
    'Kulturen/Nationen': 'kulturen|nationen|völker',
    'Fremd': 'fremd',
    'Sprachen': 'mehrsprachig|sprachen\\b|sprachmittl|übersetz',
    'Unterbringung': 'unterbring',
    'Menschen aus': 'menschen\\s+aus|familien\\s+aus',
    'Vertrieben/Verfolgt': 'vertrieb|verfolgt|verfolgung',
}


def _git(git_dir: Path, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), "-c", "core.quotepath=off", *args],
                          input=data, capture_output=True, check=True).stdout


def _cat(git_dir: Path, paths: list[str]) -> list[bytes | None]:
    """Return the blobs at HEAD of the given paths (None where missing), in one git call."""
    out = _git(git_dir, "cat-file", "--batch", data="".join(f"HEAD:{p}\n" for p in paths).encode())
    blobs: list[bytes | None] = []
    i = 0
    for _ in paths:
        j = out.index(b"\n", i)
        header = out[i:j].split()
        if header[-1] == b"missing":
            blobs.append(None)
            i = j + 1
            continue
        size = int(header[2])
        blobs.append(out[j + 1:j + 1 + size])
        i = j + 1 + size + 1
    return blobs


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def magdeburg(git_dir: Path) -> tuple[str, list[dict]]:
    commit = _git(git_dir, "rev-parse", "HEAD").decode().strip()
    paths = [p for p in _git(git_dir, "ls-tree", "-r", "--name-only", "HEAD", "data/papers").decode().splitlines()
             if p.endswith(".json")]
    papers: dict[int, dict] = {}

    def walk(node, path):
        if isinstance(node, dict):
            if {"id", "reference", "title"} <= node.keys():
                papers.setdefault(node["id"], {"sid": node["id"], "reference": node["reference"],
                                               "paperType": node.get("type"), "title": node["title"], "path": path})
            for value in node.values():
                walk(value, path)
        elif isinstance(node, list):
            for value in node:
                walk(value, path)

    for path, blob in zip(paths, _cat(git_dir, paths)):
        walk(json.loads(blob), path)
    rows = [dict(p, text="") for _, p in sorted(papers.items())]
    return commit, rows


def _join_chunks(chunks: list[str]) -> str:
    """Join text chunks, dropping the overlap where a chunk repeats the end of the one before."""
    out = ""
    for chunk in chunks:
        overlap = 0
        for k in range(min(len(out), len(chunk), 800), 20, -1):
            if out.endswith(chunk[:k]):
                overlap = k
                break
        out += ("" if overlap or not out else "\n") + chunk[overlap:]
    return out


def nordstemmen(git_dir: Path) -> tuple[str, list[dict]]:
    commit = _git(git_dir, "rev-parse", "HEAD").decode().strip()
    names = _git(git_dir, "ls-tree", "-r", "--name-only", "HEAD", "documents/papers").decode().splitlines()
    present = set(names)
    metas = [n for n in names if n.endswith("/metadata.json")]
    rows = []
    for path, blob in zip(metas, _cat(git_dir, metas)):
        meta = json.loads(blob)
        file_name = ((meta.get("mainFile") or {}).get("accessUrl") or "").rsplit("/", 1)[-1]
        emb = f"{path.rsplit('/', 1)[0]}/{file_name[:-4]}.embeddings.json" if file_name.endswith(".pdf") else None
        rows.append({"sid": meta["id"].rsplit("/", 1)[-1], "reference": meta.get("reference"),
                     "paperType": meta.get("paperType"), "title": meta.get("name") or "", "path": path,
                     "emb": emb if emb in present else None})
    with_emb = [r for r in rows if r["emb"]]
    for row, blob in zip(with_emb, _cat(git_dir, [r["emb"] for r in with_emb])):
        if blob and not blob.startswith(b"version https://git-lfs"):
            chunks = sorted(json.loads(blob)["chunks"], key=lambda c: (c.get("page", 0), c.get("chunk_index", 0)))
            text = _join_chunks([c["text"] for c in chunks])
            row["text"] = re.sub(r"\n\s*\n+", "\n", text).strip()[:TEXT_CHARS]
    for row in rows:
        row.setdefault("text", "")
        row.pop("emb")
    rows.sort(key=lambda r: int(r["sid"]) if str(r["sid"]).isdigit() else 0)
    return commit, rows


def draw(town: str, rows: list[dict], rng: random.Random, draws: dict | None = None,
         exclude: set[tuple[str, str]] = frozenset()) -> list[dict]:
    """Return the sampled rows of one town; ``exclude`` holds (town, id or lower-cased title) to leave out."""
    draws = draws or DRAWS
    seen: set[str] = set()
    pool = []
    for row in rows:
        title = _squeeze(row["title"])
        if title and title.lower() not in seen:
            seen.add(title.lower())
            if (town, str(row["sid"])) in exclude or (town, title.lower()) in exclude:
                continue
            pool.append(dict(row, title=title))
    picked: list[dict] = []
    for row in rng.sample(pool, draws[town]["random"]):
        picked.append(dict(row, sample="random"))
    taken = {id(r) for r in pool if any(r["sid"] == p["sid"] for p in picked)}
    keys = sorted(PATTERNS)
    rng.shuffle(keys)
    candidates = {}
    for key in keys:
        regex = re.compile(PATTERNS[key], re.I)
        found = [r for r in pool if id(r) not in taken and (regex.search(r["title"]) or regex.search(r["text"]))]
        rng.shuffle(found)
        candidates[key] = found
    print(f"{town}: pool {len(pool)}, broad candidates "
          f"{len({id(r) for f in candidates.values() for r in f})}", file=sys.stderr)
    want = draws[town]["broad"]
    broad = 0
    while broad < want and any(candidates.values()):
        for key in keys:
            while candidates[key] and id(candidates[key][0]) in taken:
                candidates[key].pop(0)
            if candidates[key] and broad < want:
                row = candidates[key].pop(0)
                taken.add(id(row))
                picked.append(dict(row, sample="broad", keyword=key))
                broad += 1
    return picked


def main(argv: list[str]) -> int:
    sources = {
        "magdeburg": ("code-for-magdeburg/StadtratWatch-web", magdeburg),
        "nordstemmen": ("levino/nordstemmen-ai", nordstemmen),
    }
    mode = argv[0] if argv and argv[0] in ("--blind", "--blind2") else ""
    if mode:
        argv = argv[1:]
    blind = bool(mode)
    seed, draws, excluded_files, prefix = {
        "": (SEED, DRAWS, (), ""),
        "--blind": (BLIND_SEED, BLIND_DRAWS, (REPOS_LABELS,), "blind-"),
        "--blind2": (BLIND2_SEED, BLIND2_DRAWS, (REPOS_LABELS, BLIND_LABELS), "blind2-"),
    }[mode]
    rng = random.Random(seed)
    exclude: set[tuple[str, str]] = set()
    for path in excluded_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                old = json.loads(line)
                exclude.add((old["town"], old["id"].split(":", 2)[2]))
                exclude.add((old["town"], old["title"].lower()))
    for town, git_dir in zip(("magdeburg", "nordstemmen"), argv):
        if town not in draws:
            continue
        repo, read = sources[town]
        commit, rows = read(Path(git_dir))
        for row in draw(town, rows, rng, draws, exclude):
            out = {"id": f"{town}:Paper:{row['sid']}", "town": town, "title": row["title"], "text": row["text"],
                   "label": None, "note": "", "sample": prefix + row["sample"]}
            if "keyword" in row:
                out["keyword"] = row["keyword"]
            out.update(reference=row["reference"], paperType=row["paperType"], repo=repo, path=row["path"],
                       commit=commit)
            print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
