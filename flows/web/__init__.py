"""The local web site over the warehouse (``ratsinfo web``): server, templates, static files."""
