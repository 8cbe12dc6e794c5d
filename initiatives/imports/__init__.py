"""Imports of records from the files the export writes (CSV, XLSX, JSON Lines):

- `reading`: a file as a tablib Dataset (django-import-export's formats for CSV and XLSX,
  JSON Lines read line by line), checked for its format, size and columns, and each of its
  rows as the values the services take (`import_file_read`, `import_row_values`).
- `pipeline`: the rows through the services, matched on `external_id` or `source_url`,
  each reported as created, updated, unchanged or refused (`import_rows`).
- `jobs`: a large file kept as an ImportJob and run by a Celery task (`import_job_create`,
  `import_job_run`).

The API (`POST /api/v1/imports/`), the workspace's import page and the `import_initiatives`
command all import through these.
"""
