"""Spreadsheet files in and out, below every app: bounds checked before a workbook is opened (``bounds``)
and the one XLSX writer that never turns data into a formula (``xlsx``). No Django, no payung imports."""
