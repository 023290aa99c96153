"""Importing values from a workbook or CSV: ImportDialog (preview with errors, then apply all-or-nothing)."""
