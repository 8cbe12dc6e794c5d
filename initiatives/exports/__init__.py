"""Exports of the records, the same rows whichever door asks:

- `columns`: every column of an export, defined once (name, type, description), the rows
  an export reads (`export_queryset`, `export_rows`) and each record as a row (`export_row`).
- `writers`: the rows as CSV, XLSX and JSON Lines, each written as it is read, so memory
  holds one chunk of rows however many there are (`FORMATS`, `export_chunks`).
- `opendata`: the nightly dump of every published record with its `datapackage.json`
  (`opendata_dump`), and what the Open data page lists of it (`current_dump`).

The API (`?format=`), the web's download links, the Celery task and `export_opendata` all
write through these.
"""
