"""Builders of small fictional council sites for end-to-end crawl tests.

Each builder writes a site in the real markup of one system into a folder that
``flows.demo_site.serve_demo(root=…)`` serves, and returns what the site
contains, counted from the same data the pages were written from.
"""
