"""Crawl-time steps: Scrapy item pipelines and the checks run on a finished crawl.

``stage_items`` appends a page's items (normalised as the page is read:
``pipelines.normalise.items``) to the staging area, ``documents``/``document_text``
read the text of downloaded documents, ``parse_rate`` watches for a parser that
quietly extracts less, ``analyse`` shows what the pipeline finds in one file.
"""
