"""A nightly crawl that finds nothing changed upstream changes nothing in the warehouse.

Two ways it used to: the document texts the documents stage had got were cleared by the next crawl that read
their file's page again (so every document was downloaded again every night), and an object read from several
pages took the url of the page Scrapy happened to read last (a 'changed' row every night or so).
"""

from __future__ import annotations

from pipelines.warehouse.document_stage import pending_files
from pipelines.warehouse.load import connect, load_crawl
from tests.pipelines.test_document_stage import SOURCE, file, paper, stage, update

PAGE = "http://ris.example/bi/vo020.asp?VOLFDNR=1"
DOC = "http://ris.example/doc/1.pdf"


def test_a_nightly_crawl_that_reads_the_paper_page_again_keeps_the_document_text(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    try:
        def meta(crawl_id: str, started: str):
            # as spiders.ris stages them: the file read from its paper's page (url), without text
            return stage(tmp_path, crawl_id, [paper("p1", url=PAGE), {**file("f1", "p1", "mainFile", DOC), "url": PAGE}],
                         started=started, system="allris_classic", baseUrl="http://ris.example/bi/")

        load_crawl(meta("c1-meta", "2026-11-01T00:00:00+00:00"), con)
        load_crawl(stage(tmp_path, "c1-documents", [update("f1", DOC, 1, "2026-11-01T01:00:00+00:00", text="Vorlage",
                                                           textStatus="ok", sha256="ab" * 32, size=1234)],
                         started="2026-11-01T01:00:00+00:00", stage="documents"), con)
        assert con.execute('SELECT "text" FROM file WHERE "systemId" = ?', ["f1"]).fetchone() == ("Vorlage",)
        load_crawl(meta("c2-meta", "2026-11-02T00:00:00+00:00"), con)  # the next night: nothing changed upstream
        assert con.execute('SELECT "text", "textStatus" FROM file WHERE "systemId" = ?', ["f1"]).fetchone() == (
            "Vorlage", "ok")
        assert DOC not in [w["url"] for w in pending_files(con, SOURCE, "main")]
    finally:
        con.close()


def test_an_object_read_from_two_pages_in_another_order_is_unchanged(tmp_path):
    from schemas.items import Person
    from tests.pipelines.test_load import stage as stage_items

    a, b = "http://x/au020.asp?AULFDNR=11", "http://x/au020.asp?AULFDNR=12"

    def person(url):
        return Person(source="musterstadt", system="allris_classic", systemId="700", url=url, name="Erika Muster")

    con = connect(tmp_path / "w.duckdb")
    try:
        load_crawl(stage_items(tmp_path, "c1", [person(a), person(b)], "2026-11-01T00:00:00+00:00"), con)
        load_crawl(stage_items(tmp_path, "c2", [person(b), person(a)], "2026-11-02T00:00:00+00:00"), con)
        changed = con.execute("""SELECT count(*) FROM history WHERE "table" = 'person' AND "kind" = 'changed'""").fetchone()[0]
        assert changed == 0
    finally:
        con.close()
