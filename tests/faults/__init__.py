"""Fault-injection suite: the crawl and load under faults, bad input and hostile servers.

Every test here is one *kind* of fault and is marked with
``@pytest.mark.fault(kind="short name", outcome="ok|recorded|refused")``:
``ok`` — the data arrives complete and correct despite the fault;
``recorded`` — what could not be had is recorded as a failure with its reason;
``refused`` — the request was never made and the refusal is recorded.
Never silent loss or corruption. ``tests/benchmarks/fault_table.py`` runs
this folder and prints the table of kinds and outcomes with totals.
"""
