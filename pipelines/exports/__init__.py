"""Exports from the warehouse: CSV/XLSX/Parquet files (``export``) and Atom feeds and
digests (``feeds``)."""
