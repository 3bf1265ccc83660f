"""The `ratsinfo` command's own behaviour (the crawl itself is tested end to end elsewhere)."""

from __future__ import annotations

import json

import pytest

from flows.cli import build_parser, main


def crashing_crawls(monkeypatch) -> list[dict]:
    """Let every crawl's child process crash at once (its staging folder left running); return what each was given."""
    from pathlib import Path

    from flows import source_run
    from schemas.staging import StagingArea

    calls: list[dict] = []

    def crashed(source, data_dir, crawl_id, settings, time_budget_s, stderr=None):
        calls.append({"source": source, "settings": settings, "time_budget_s": time_budget_s})
        StagingArea(Path(data_dir), crawl_id).create().update_manifest(crawlId=crawl_id, status="running")
        raise source_run.CrawlCrashed("killed")

    monkeypatch.setattr(source_run, "run_crawl_process", crashed)
    return calls

def test_every_subcommand_has_help(capsys):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "==SUPPRESS==" or getattr(a, "choices", None) and isinstance(a.choices, dict))
    for name in sub.choices:
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0
        assert capsys.readouterr().out.strip(), name


def test_parse_prints_typed_json_lines(corpus_dir, capsys):
    page = corpus_dir / "allris3" / "hamburg-altona_vo020.html"
    assert main(["parse", str(page), "--url", "https://sitzungsdienst-altona.hamburg.de/bi/vo020.asp?VOLFDNR=1018473"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    types = {line["type"] for line in lines}
    assert "Paper" in types and "Consultation" in types
    paper = next(line for line in lines if line["type"] == "Paper")
    assert paper["systemId"] == "1018473"
    assert paper["system"] == "allris_classic"


def test_parse_unknown_dialect_fails_clearly(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Gemeinde X</title></head><body>Hallo</body></html>")
    assert main(["parse", str(page)]) == 2
    assert "unknown council information system" in capsys.readouterr().err


def test_parse_missing_file(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nope.html")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_detect_names_the_dialect_of_a_file(corpus_dir, capsys):
    assert main(["detect", str(corpus_dir / "allris3" / "hamburg-altona_to010.html")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["system"] == "allris_classic" and out["evidence"]


def test_documents_without_a_warehouse_fails_clearly(tmp_path, capsys):
    assert main(["documents", "--db", str(tmp_path / "none.duckdb"), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ratsinfo: no warehouse at") and len(err.strip().splitlines()) == 1


def test_documents_reports_pending_and_rejects_a_bad_mode(tmp_path, capsys):
    from pipelines.warehouse.load import connect

    db = tmp_path / "w.duckdb"
    con = connect(db)
    con.execute("""INSERT INTO file ("source", "system", "systemId", "role", "accessUrl")
                   VALUES ('s', 'oparl', 'f1', 'auxiliaryFile', 'http://x.example/f1.pdf')""")
    con.close()
    args = ["documents", "--db", str(db), "--data-dir", str(tmp_path)]
    assert main(args) == 0  # only main files by default: nothing to fetch, nothing pending
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert (report["source"], report["urls"], report["pendingDocuments"]) == ("s", 0, 0)
    assert "0 document(s) still pending" in captured.err
    assert main([*args, "--set", "RATSINFO_DOWNLOAD_FILES=some"]) == 2
    assert "RATSINFO_DOWNLOAD_FILES must be main, all or none" in capsys.readouterr().err
    # all files wanted, but no base URL known for the source: one clear line
    assert main([*args, "--set", "RATSINFO_DOWNLOAD_FILES=all"]) == 2
    assert "no base URL known for source 's'" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["crawl", "notaurl"], "ratsinfo: url 'notaurl' must be an http(s) URL with a host"),
    (["crawl", "ftp://ratsinfo.example.de/bi/"], "ratsinfo: url 'ftp://ratsinfo.example.de/bi/' must be an http(s) URL"),
    (["crawl", "https://ratsinfo.example.de/bi/", "--months-back", "-5"], "ratsinfo: --months-back must be between 0 and 120"),
    (["crawl", "https://ratsinfo.example.de/bi/", "--months", "2026-13..2026-14"], "ratsinfo: --months '2026-13..2026-14': 2026-13 is not a month"),
    (["crawl", "https://ratsinfo.example.de/bi/", "--system", "allris5"], "ratsinfo: --system 'allris5' is not one of"),
    (["crawl", "https://ratsinfo.example.de/bi/", "--source", "Bad_Slug"], "ratsinfo: --source 'Bad_Slug' must be lower-case"),
    (["sources", "add", "notaurl"], "ratsinfo: url 'notaurl' must be an http(s) URL with a host"),
    (["sources", "add", "https://ratsinfo.example.de/bi/", "--ags", "12"], "ratsinfo: --ags '12' must be the 8-digit"),
])
def test_a_bad_source_option_is_one_line_before_anything_runs(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)  # the default data folder and sources file: nothing may appear there
    assert main([*args, "--data-dir", str(tmp_path / "data")] if args[0] == "crawl" else args) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and len(err.strip().splitlines()) == 1, err
    assert list(tmp_path.iterdir()) == []  # no crawl staged, no source written, nothing fetched


@pytest.mark.parametrize("args, message", [
    (["web", "--port", "70000"], "argument --port: a port is between 0 and 65535, not 70000"),
    (["demo", "--port", "-1"], "argument --port: a port is between 0 and 65535, not -1"),
    (["schedule", "--port", "abc"], "argument --port: not a port number: 'abc'"),
    (["search", "Flüchtlinge", "--limit", "-2"], "argument --limit: must be at least 1, not -2"),
    (["changes", "--since", "2026-01-01", "--limit", "0"], "argument --limit: must be at least 1, not 0"),
    (["documents", "--limit", "0"], "argument --limit: must be at least 1, not 0"),
])
def test_a_bad_port_or_limit_is_a_usage_error(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].endswith(message) and "Traceback" not in err, err


@pytest.mark.slow
def test_schedule_on_a_port_in_use_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    import socket

    from tests.conftest import PROJECT_ROOT

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["schedule", "--port", str(port), "--sources", str(PROJECT_ROOT / "data" / "sources.toml"),
                     "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("ratsinfo: the Prefect server exited with code ") and len(err.strip().splitlines()) == 1, err
    assert f"is port {port} in use? Its log: {tmp_path / 'data' / 'prefect' / 'server.log'}" in err


def test_documents_and_reparse_say_what_is_wrong_in_one_line(tmp_path, capsys):
    from pipelines.warehouse.load import connect

    db = tmp_path / "w.duckdb"
    connect(db).close()
    assert main(["documents", "--db", str(db), "--data-dir", str(tmp_path), "--set", "DOWNLOAD_DELAY"]) == 2
    assert capsys.readouterr().err == "ratsinfo: --set needs NAME=VALUE, not 'DOWNLOAD_DELAY'\n"
    assert main(["reparse", "--source", "nowhere", "--data-dir", str(tmp_path), "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"ratsinfo: no staged crawl of source 'nowhere' under {tmp_path / 'staging'}\n"


def test_feeds_parse_sources_and_resume_errors_are_one_line(tmp_path, capsys):
    from tests.web_seed import seed_warehouse

    db = seed_warehouse(tmp_path / "w.duckdb")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["feeds", "--db", str(db), "-o", str(blocker / "feeds")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ratsinfo: cannot write feeds under {blocker / 'feeds'}: ") and err.count("\n") == 1, err

    page = tmp_path / "page.html"  # names a system (detected as more! rubin) but is none of its pages
    page.write_text("<html><body><p>more! rubin</p></body></html>", encoding="utf-8")
    assert main(["parse", str(page)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(f"ratsinfo: rubin cannot parse {page}: "), err
    assert "Traceback" not in err

    assert main(["sources", "list", "--file", str(tmp_path / "none.toml")]) == 2
    assert capsys.readouterr().err.startswith(f"ratsinfo: no sources file at {tmp_path / 'none.toml'}")

    assert main(["crawl", "https://ratsinfo.example.de/bi/", "--resume", "20260101T000000Z-nowhere",
                 "--data-dir", str(tmp_path / "data"), "--db", str(db)]) == 2
    assert capsys.readouterr().err == (f"ratsinfo: no crawl '20260101T000000Z-nowhere' to resume under "
                                       f"{tmp_path / 'data' / 'staging'}\n")
    assert not (tmp_path / "data").exists()


def test_load_into_a_folder_or_a_file_that_is_not_duckdb_is_one_line_and_leaves_it_alone(tmp_path, capsys):
    assert main(["load", "some-crawl", "--db", str(tmp_path), "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"ratsinfo: --db {tmp_path} is a folder, not a DuckDB file\n"
    notes = tmp_path / "notes.duckdb"
    notes.write_text("my notes, not a warehouse")
    assert main(["load", "some-crawl", "--db", str(notes), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ratsinfo: cannot load into {notes}: IO Error: The file \"{notes}\" exists, but it is not a valid")
    assert err.count("\n") == 1
    assert notes.read_text() == "my notes, not a warehouse"
    assert not list(tmp_path.glob("notes.duckdb.work*"))  # the working copy it could not open is gone


def test_a_source_or_date_range_that_cannot_match_is_one_line_not_an_empty_answer(tmp_path, capsys):
    from tests.web_seed import seed_warehouse

    db = seed_warehouse(tmp_path / "w.duckdb")
    assert main(["changes", "--since", "2000-01-01", "--source", "musterstadt", "--db", str(db)]) == 0
    assert capsys.readouterr().err == "0 change(s) since 2000-01-01\n"  # a known source is asked, not refused
    for args in (["changes", "--since", "2000-01-01", "--source", "musterstad"],
                 ["documents", "--source", "musterstad", "--data-dir", str(tmp_path)]):
        assert main([*args, "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert err == f"ratsinfo: no source 'musterstad' in {db} (sources: beispielheim, musterstadt, musterstadt-alt)\n"
    out = tmp_path / "x.csv"
    assert main(["export", "--topic", "integration", "--since", "2025-01-01", "--until", "2024-12-31",
                 "-o", str(out), "--db", str(db)]) == 2
    assert capsys.readouterr().err == "ratsinfo: since 2025-01-01 is after until 2024-12-31\n"
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (["--cron", "not a cron"], "ratsinfo: --cron 'not a cron' is not a cron schedule of five fields (e.g. '0 2 * * *')"),
    (["--full-cron", "0 3 * * Sonntag"], "ratsinfo: --full-cron '0 3 * * Sonntag' is not a cron schedule"),
    (["--timezone", "Europe/Bonn"], "ratsinfo: --timezone 'Europe/Bonn' is not a time zone (e.g. Europe/Berlin)"),
])
def test_a_bad_schedule_is_one_line_before_a_server_starts(tmp_path, capsys, args, message):
    from tests.conftest import PROJECT_ROOT

    code = main(["schedule", *args, "--sources", str(PROJECT_ROOT / "data" / "sources.toml"),
                 "--data-dir", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(message) and err.count("\n") == 1, err
    assert not (tmp_path / "data").exists()  # no server was started, no log written


def test_feeds_go_into_the_data_folder_given(tmp_path, monkeypatch, capsys):
    from tests.web_seed import seed_warehouse

    db = seed_warehouse(tmp_path / "w.duckdb")
    monkeypatch.chdir(tmp_path)
    assert main(["feeds", "--db", str(db), "--data-dir", str(tmp_path / "elsewhere")]) == 0
    assert capsys.readouterr().err.endswith(f"feeds under {tmp_path / 'elsewhere' / 'feeds'}\n")
    assert (tmp_path / "elsewhere" / "feeds" / "topic" / "integration.atom").is_file()
    assert not (tmp_path / "data").exists()  # was ./data/feeds whatever --data-dir said


def test_run_and_schedule_hand_the_flow_absolute_paths(tmp_path, monkeypatch):
    """The nightly flow's parameters (stored with the scheduled deployment) name folders, not the shell's cwd."""
    from flows.cli import _nightly_parameters

    monkeypatch.chdir(tmp_path)
    here = tmp_path.resolve()
    for command in ("run", "schedule"):
        parameters = _nightly_parameters(build_parser().parse_args([command, "--sources", "my.toml", "--db", "w.duckdb"]))
        assert {k: parameters[k] for k in ("sources_file", "data_dir", "db_path", "export_path")} == {
            "sources_file": str(here / "my.toml"), "data_dir": str(here / "data"), "db_path": str(here / "w.duckdb"),
            "export_path": str(here / "data" / "exports" / "integration.csv"),
        }


def test_the_resume_hint_of_a_crashed_crawl_repeats_its_source_window_settings_and_paths(tmp_path, monkeypatch,
                                                                                         capsys):
    """Followed as printed, the hint continues the same crawl: not the URL's default slug, window or folders."""
    import shlex

    from schemas.staging import StagingArea

    crashing_crawls(monkeypatch)
    original = ["crawl", "http://127.0.0.1:9/bi/", "--source", "my-town", "--system", "allris_classic",
                "--months", "2026-09..2026-10", "--set", "DOWNLOAD_DELAY=0", "--no-load",
                "--data-dir", str(tmp_path / "my data"), "--db", str(tmp_path / "my.duckdb")]
    assert main(original) == 1
    hint = capsys.readouterr().err.splitlines()[-1]
    assert hint.startswith("crawl failed; resume with: ratsinfo crawl ")
    again = build_parser().parse_args(shlex.split(hint.split("ratsinfo ", 1)[1]))
    first = build_parser().parse_args(original)
    crawl_id = again.resume
    assert StagingArea(tmp_path / "my data", crawl_id).read_manifest()["crawlId"] == crawl_id
    for option in ("url", "source", "system", "months", "set", "no_load", "data_dir", "db"):
        assert getattr(again, option) == getattr(first, option), option


def test_crawl_takes_the_source_of_the_sources_file_it_is_given(tmp_path, monkeypatch, capsys):
    """``--sources`` names the file a crawl looks its URL up in (slug, system); a missing one is one clear line."""
    import shlex

    crawls = crashing_crawls(monkeypatch)
    sources = tmp_path / "councils.toml"
    sources.write_text('[[source]]\nslug = "wunschstadt"\nname = "Stadt Wunschstadt"\nsystem = "sessionnet"\n'
                       'base_url = "http://127.0.0.1:9/bi/"\n', encoding="utf-8")
    assert main(["crawl", "http://127.0.0.1:9/bi/", "--sources", str(sources), "--no-load",
                 "--data-dir", str(tmp_path / "data")]) == 1
    assert [(c["source"].slug, c["source"].system) for c in crawls] == [("wunschstadt", "sessionnet")]
    hint = shlex.split(capsys.readouterr().err.splitlines()[-1].split("ratsinfo ", 1)[1])
    assert build_parser().parse_args(hint).sources == sources

    missing = tmp_path / "none.toml"
    assert main(["crawl", "http://127.0.0.1:9/bi/", "--sources", str(missing), "--data-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"ratsinfo: no sources file at {missing}\n"
    assert main(["documents", "--sources", str(missing), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert capsys.readouterr().err == f"ratsinfo: no sources file at {missing}\n"


def test_a_sqlite_file_as_warehouse_is_one_line_and_nothing_is_downloaded(tmp_path, capsys):
    """DuckDB asks for its sqlite extension for such a file and would fetch it from extensions.duckdb.org."""
    import sqlite3

    db = tmp_path / "ratsinfo.duckdb"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE notes (text)")
    con.commit()
    con.close()
    before = db.read_bytes()
    for command, verb in ((["sql", "SELECT 1"], "read"), (["load", "c1", "--data-dir", str(tmp_path)], "load into")):
        assert main([*command, "--db", str(db)]) == 2
        err = capsys.readouterr().err
        assert err == f'ratsinfo: cannot {verb} {db}: The file "{db}" is a SQLite database, not a DuckDB file\n'
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("*.work*"))


def test_no_warehouse_connection_may_download_an_extension(tmp_path):
    from pipelines.warehouse.db import connect_writable, open_reader

    db = tmp_path / "w.duckdb"
    connect_writable(db).close()
    for open_db in (open_reader, connect_writable):
        con = open_db(db)
        assert con.execute("SELECT current_setting('autoinstall_known_extensions')").fetchone()[0] is False
        con.close()


def test_crawl_of_a_configured_source_keeps_its_window_and_time_budget(tmp_path, monkeypatch, capsys):
    """sources.toml's months, months_back/ahead and time_budget_minutes hold for ``ratsinfo crawl URL`` too; options win."""
    crawls = crashing_crawls(monkeypatch)
    sources = tmp_path / "councils.toml"
    sources.write_text('[[source]]\nslug = "fest"\nbase_url = "http://127.0.0.1:9/fest/"\nmonths = "2026-09..2026-10"\n'
                       'time_budget_minutes = 5\n\n'
                       '[[source]]\nslug = "fenster"\nbase_url = "http://127.0.0.1:9/fenster/"\nmonths_back = 1\n'
                       'months_ahead = 0\n', encoding="utf-8")
    common = ["--sources", str(sources), "--no-load", "--data-dir", str(tmp_path / "data")]
    assert main(["crawl", "http://127.0.0.1:9/fest/", *common]) == 1
    assert main(["crawl", "http://127.0.0.1:9/fenster/", *common]) == 1
    assert main(["crawl", "http://127.0.0.1:9/fest/", "--months-back", "0", *common]) == 1
    assert main(["crawl", "http://127.0.0.1:9/fenster/", "--months", "2025-01", *common]) == 1
    assert main(["crawl", "http://127.0.0.1:9/anderswo/", *common]) == 1
    assert [(c["source"].months, c["source"].months_back, c["source"].months_ahead, c["time_budget_s"])
            for c in crawls] == [
        ("2026-09..2026-10", 3, 2, 300), (None, 1, 0, None),  # as configured
        (None, 0, 2, 300), ("2025-01", 1, 0, None),  # an option given replaces the configured window
        (None, 3, 2, None),  # not configured: the defaults
    ]
    hints = [line for line in capsys.readouterr().err.splitlines() if "resume with" in line]
    assert "--months 2026-09..2026-10" in hints[0] and "--months-back 1 --months-ahead 0" in hints[1]


def _staged_crawl(data_dir, crawl_id="c1"):
    """Stage a one-meeting crawl under ``data_dir`` (for commands that load)."""
    from schemas.items import Meeting
    from schemas.staging import JsonlWriter, StagingArea

    staging = StagingArea(data_dir, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source="m", baseUrl="http://127.0.0.1:9/bi/", system="allris_classic",
                            status="finished")
    writer = JsonlWriter(staging.items_path)
    writer.write(Meeting(source="m", system="allris_classic", systemId="1", url="http://127.0.0.1:9/1", name="Rat").to_dict())
    writer.close()
    JsonlWriter(staging.failures_path).close()


@pytest.mark.parametrize("name, value, command, message", [
    ("RATSINFO_PARALLEL", "eight", "run", "$RATSINFO_PARALLEL must be a whole number of sources, not 'eight'"),
    ("RATSINFO_PARALLEL", "0", "schedule", "$RATSINFO_PARALLEL must be a whole number of sources, at least 1, not '0'"),
    ("RATSINFO_TIME_BUDGET_MINUTES", "2h", "run", "$RATSINFO_TIME_BUDGET_MINUTES must be a number of minutes, not '2h'"),
    ("RATSINFO_LOCK_WAIT", "10m", "load", "$RATSINFO_LOCK_WAIT must be a number of seconds, not '10m'"),
    ("RATSINFO_LOAD_THREADS", "two", "load", "$RATSINFO_LOAD_THREADS must be a whole number of threads, not 'two'"),
    ("RATSINFO_LOAD_MEMORY", "lots", "load", "$RATSINFO_LOAD_MEMORY must be a size like 320MB or 2GB, not 'lots'"),
    ("RATSINFO_PARSE_RATE_THRESHOLD", "90%", "load", "$RATSINFO_PARSE_RATE_THRESHOLD must be a share, not '90%'"),
    ("RATSINFO_PARSE_RATE_THRESHOLD", "90", "load",
     "$RATSINFO_PARSE_RATE_THRESHOLD must be a share, at least 0 and at most 1, not '90'"),
    ("RATSINFO_DOCUMENT_ATTEMPTS", "three", "documents",
     "RATSINFO_DOCUMENT_ATTEMPTS must be a whole number of at least 1, not 'three'"),
    ("RATSINFO_DOCUMENTS_BUDGET_S", "30min", "documents",
     "RATSINFO_DOCUMENTS_BUDGET_S must be a number of seconds more than 0, not '30min'"),
])
def test_a_bad_environment_setting_is_one_line_naming_it(tmp_path, monkeypatch, capsys, name, value, command, message):
    """A mistyped RATSINFO_* variable is one line and exit 2: no traceback, not its default without a word."""
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    _staged_crawl(data)
    assert main(["load", "--data-dir", str(data), "--db", str(db)]) == 0
    capsys.readouterr()
    monkeypatch.setenv(name, value)
    argv = {
        "run": ["run", "--sources", str(tmp_path / "none.toml")],
        "schedule": ["schedule", "--sources", str(tmp_path / "none.toml")],
        "load": ["load"],
        "documents": ["documents"],
    }[command]
    assert main([*argv, "--data-dir", str(data), "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"ratsinfo: {message}\n"
    assert not (tmp_path / "w.duckdb.work").exists()


@pytest.mark.parametrize("argv", [["export", "-o", "x.csv"], ["search", "Kita"], ["sql", "SELECT 1"], ["web"],
                                  ["changes", "--since", "2026-01-01"]])
def test_commands_that_read_only_the_warehouse_take_no_data_dir(tmp_path, monkeypatch, capsys, argv):
    """--data-dir was parsed and never used there (the warehouse is --db): a crawl's folder given there read ./data's."""
    monkeypatch.chdir(tmp_path)  # no ./data/ratsinfo.duckdb here: never a web server that stays up
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--data-dir", str(tmp_path)])
    assert exit_info.value.code == 2
    assert f"unrecognized arguments: --data-dir {tmp_path}" in capsys.readouterr().err


@pytest.mark.parametrize("pair, message", [
    ("RATSINFO_DOWNLOAD_FILE=all", "--set RATSINFO_DOWNLOAD_FILE: no such ratsinfo setting (did you mean RATSINFO_DOWNLOAD_FILES?)"),
    ("RATSINFO_PARSE_RATE_THRESHOLD=0.5",
     "--set RATSINFO_PARSE_RATE_THRESHOLD has no effect: each load reads it from the environment; export it instead"),
    ("RATSINFO_DATA_DIR=/srv/data", "--set RATSINFO_DATA_DIR has no effect: use --data-dir"),
    ("RATSINFO_MAX_FILE_BYTES=20MB", "--set RATSINFO_MAX_FILE_BYTES must be a whole number of bytes, not '20MB'"),
    ("RATSINFO_PARSE_WORKERS=2", "--set RATSINFO_PARSE_WORKERS must be 0 or 1, not '2'"),
    ("RATSINFO_OPARL_OVERLAP_HOURS=-1", "--set RATSINFO_OPARL_OVERLAP_HOURS must be a number of hours, not '-1'"),
    ("RATSINFO_OPARL_FULL=maybe", "--set RATSINFO_OPARL_FULL must be yes or no (1, true, on; 0, false, off), not 'maybe'"),
])
def test_a_ratsinfo_setting_a_set_cannot_give_is_one_line_before_anything_runs(tmp_path, monkeypatch, capsys, pair,
                                                                                message):
    """A typo did nothing, an environment-only setting did nothing, a bad number crashed the crawl's process."""
    from flows import source_run

    started = []
    monkeypatch.setattr(source_run, "run_crawl_process", lambda *args, **kwargs: started.append(args))
    for argv in (["crawl", "http://127.0.0.1:9/bi/", "--no-load"], ["run"], ["documents"]):
        assert main([*argv, "--set", pair, "--data-dir", str(tmp_path / "data"), "--db", str(tmp_path / "w.duckdb"),
                     "--sources", str(tmp_path / "none.toml")]) == 2, argv
        assert capsys.readouterr().err == f"ratsinfo: {message}\n"
    assert started == []  # no crawl began


def test_the_ratsinfo_settings_a_set_gives_pass(tmp_path, monkeypatch):
    from flows.cli import _scrapy_settings

    assert _scrapy_settings(["RATSINFO_OPARL_FULL=Off"]) == {"RATSINFO_OPARL_FULL": "Off"}
    pairs = ["RATSINFO_OPARL_FULL=1", "RATSINFO_MAX_FILE_BYTES=1000", "RATSINFO_PARSE_WORKERS=0", "DOWNLOAD_DELAY=0",
             "RATSINFO_EXTRA_HOSTS=docs.example.de", "RATSINFO_DOCUMENTS_BUDGET_S=1800", "LOG_FILE=crawl.log"]
    assert _scrapy_settings(pairs) == dict(p.split("=", 1) for p in pairs)


def test_a_bad_crawl_setting_in_the_environment_is_one_line_before_anything_runs(tmp_path, monkeypatch, capsys):
    """The crawl processes read it (spiders.crawl.ENVIRONMENT_SETTINGS): a bad number crashed each of them."""
    crawls = crashing_crawls(monkeypatch)
    monkeypatch.setenv("RATSINFO_MAX_FILE_BYTES", "20MB")
    folders = ["--data-dir", str(tmp_path / "data"), "--db", str(tmp_path / "w.duckdb")]
    assert main(["crawl", "http://127.0.0.1:9/bi/", "--no-load", *folders]) == 2
    assert capsys.readouterr().err == "ratsinfo: $RATSINFO_MAX_FILE_BYTES must be a whole number of bytes, not '20MB'\n"
    assert crawls == []
    # A --set of it wins over the environment, as in the crawl.
    assert main(["crawl", "http://127.0.0.1:9/bi/", "--no-load", "--set", "RATSINFO_MAX_FILE_BYTES=1000", *folders]) == 1
    assert [c["settings"]["RATSINFO_MAX_FILE_BYTES"] for c in crawls] == ["1000"]
    # A yes/no setting takes yes or no: "maybe" was read as no without a word.
    capsys.readouterr()
    monkeypatch.delenv("RATSINFO_MAX_FILE_BYTES")
    monkeypatch.setenv("RATSINFO_OPARL_FULL", "maybe")
    assert main(["crawl", "http://127.0.0.1:9/bi/", "--no-load", *folders]) == 2
    assert capsys.readouterr().err == (
        "ratsinfo: $RATSINFO_OPARL_FULL must be yes or no (1, true, on; 0, false, off), not 'maybe'\n")
    assert len(crawls) == 1


def test_run_demo_with_a_sources_file_is_one_line_not_a_quiet_demo(tmp_path, monkeypatch, capsys):
    """``run --demo`` crawls the bundled sites only: a --sources beside it was passed over without a word."""
    from flows import cli

    ran = []
    monkeypatch.setattr(cli, "_run_nightly", lambda *args: ran.append(args))
    sources = tmp_path / "mine.toml"
    sources.write_text('[[source]]\nslug = "x"\nbase_url = "https://ris.example.de/bi/"\n', encoding="utf-8")
    assert main(["run", "--demo", "--sources", str(sources), "--data-dir", str(tmp_path / "data"),
                 "--db", str(tmp_path / "w.duckdb")]) == 2
    assert capsys.readouterr().err == (
        "ratsinfo: --demo crawls the bundled demo sites and reads no --sources; leave one of them out\n")
    assert ran == []
