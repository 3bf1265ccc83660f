"""Warehouse steps: everything that writes or reads the DuckDB file after a crawl.

``db`` opens it (published snapshot for readers, one writer), ``load`` merges a staged
crawl, ``history``/``sync_state``/``enrich``/``search`` keep what the load implies,
``document_stage`` downloads pending documents after the load, ``reparse`` parses stored
raw pages again without the network.
"""
