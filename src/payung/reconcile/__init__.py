"""Named-list reconciliation: the Pemda's roster against BPJS's participant lists and bills (issue 4).

The core here is pure (no Django models, no database): ``lists`` reads both files into typed frames,
``linkage`` pairs their rows one-to-one, ``findings`` classifies every row with its rupiah impact per month
and ``report`` writes the XLSX and PAIRS.csv. ``payung reconcile ROSTER BPJS`` runs them on two files.
"""
