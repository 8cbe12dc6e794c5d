"""A file of records read into rows, in the columns the export writes.

django-import-export's CSV format parses CSV into a tablib Dataset; XLSX is read with openpyxl
as its XLSX format does, rows padded to the header's length (a sheet drops the empty cells
that end a row, which tablib refuses); JSON Lines, which tablib does not know, is read a line
at a time into one. A file the import cannot use (an
unknown format, an unreadable file, a missing column, too many bytes) raises
ImportFileError with a message for the `file` field; a row's bad cells are reported on its
own columns by `import_row_values`, and the row alone is refused.

A record's translations are read from the flat columns the export writes (`title_en` …
`translation_status_zh_hans`) into {language: fields given}, for the pipeline to lay over
the record's; `results` from the array JSON Lines holds or its JSON text in a cell.
"""

import datetime
import io
import json
from dataclasses import dataclass

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV

from ..exports.columns import ITEM_SEPARATOR, TRANSLATION_COLUMNS
from ..services.validation import REQUIRED_FIELDS

FORMATS = ("csv", "xlsx", "jsonl")
# The columns a file must have: those every new record needs.
REQUIRED_COLUMNS = REQUIRED_FIELDS
TEXT_COLUMNS = ("title", "summary", "body", "language", "key_task", "action_line", "kind", "status")
DATE_COLUMNS = ("start_date", "end_date")
LIST_COLUMNS = ("countries", "stakeholders", "advocacies", "tags", "links")
# A record's translations, four columns a language (title_en, …, translation_status_zh_hans).
TRANSLATION_COLUMN_NAMES = tuple(name for names in TRANSLATION_COLUMNS.values() for name in names.values())
# The columns an import writes; the others of an export (slug, owner, version, moderation
# state, moments) are the site's to keep and are read past.
CONTENT_COLUMNS = TEXT_COLUMNS + DATE_COLUMNS + LIST_COLUMNS + ("results",) + TRANSLATION_COLUMN_NAMES
# The service's name of a column, where it differs.
SERVICE_FIELDS = {"stakeholders": "participations"}
COLUMN_OF_FIELD = {field: column for column, field in SERVICE_FIELDS.items()}
EXTERNAL_ID_MAX_LENGTH = 200
TAG_MAX_LENGTH = 100
# What the CSV export puts before a cell that starts like a formula (writers.csv_cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `message` says why, for the `file` field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ImportFile:
    """A file's rows as a Dataset, with its format and the number of its first data row."""

    format: str
    dataset: tablib.Dataset

    @property
    def first_row(self) -> int:
        # A spreadsheet's row 1 is its header; a JSON Lines file's line 1 is a record.
        return 1 if self.format == "jsonl" else 2

    def __len__(self) -> int:
        return self.dataset.height


def import_format(filename: str, format_name: str | None = None) -> str:
    """The format asked for, or the one the file's name says; ImportFileError when neither."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else ""
    name = (format_name or extension).strip().lower()
    if name not in FORMATS:
        raise ImportFileError(
            _("Unknown format “%(format)s”: use one of %(known)s.")
            % {"format": name or filename, "known": ", ".join(FORMATS)}
        )
    return name


def import_size_check(size: int) -> None:
    """Refuse a file of more than IMPORT_MAX_BYTES, before it is read."""
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too large: at most %(limit)s MB.")
            % {"limit": round(settings.IMPORT_MAX_BYTES / 1_000_000, 1)}
        )


def import_file_read(content: bytes, format_name: str) -> ImportFile:
    """The file as rows, once its size, format and columns allow an import."""
    import_size_check(len(content))
    try:
        dataset = _READERS[format_name](content)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 -- whatever a parser makes of a broken file, it is unreadable
        dataset = None
    if dataset is None:
        raise ImportFileError(_("This file cannot be read as %(format)s.") % {"format": format_name.upper()})
    headers = [str(header or "").strip().lower() for header in dataset.headers or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        raise ImportFileError(
            _("The file lacks the columns %(columns)s, which every record needs.")
            % {"columns": ", ".join(missing)}
        )
    dataset.headers = headers
    if not dataset.height:
        raise ImportFileError(_("The file holds no rows."))
    return ImportFile(format=format_name, dataset=dataset)


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text.")) from None


def _read_csv(content: bytes) -> tablib.Dataset:
    return CSV().create_dataset(_text(content))


def _read_xlsx(content: bytes) -> tablib.Dataset:
    """The first sheet, as django-import-export's XLSX format reads it, but with each row made
    as long as the header: a sheet leaves out the empty cells that end a row."""
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = workbook.active.iter_rows(values_only=True)
        headers = list(next(rows, ()))
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            if any(value is not None for value in row):
                dataset.append((list(row) + [None] * len(headers))[: len(headers)])
    finally:
        workbook.close()
    return dataset


def _read_jsonl(content: bytes) -> tablib.Dataset:
    records = []
    for number, line in enumerate(_text(content).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            record = None
        if not isinstance(record, dict):
            raise ImportFileError(_("Line %(number)d is not a JSON object.") % {"number": number})
        records.append(record)
    headers = list(dict.fromkeys(key for record in records for key in record))
    dataset = tablib.Dataset(headers=headers)
    for record in records:
        dataset.append([record.get(header) for header in headers])
    return dataset


_READERS = {"csv": _read_csv, "xlsx": _read_xlsx, "jsonl": _read_jsonl}


def _cell_text(value, *, unescape: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if unescape and text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


def _items(value, *, unescape: bool) -> list:
    """A list cell's items: a JSON list as it is, a text cell split on its separator."""
    if isinstance(value, list):
        return value
    text = _cell_text(value, unescape=unescape)
    return [item.strip() for item in text.split(ITEM_SEPARATOR.strip()) if item.strip()]


def _date(value) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = _cell_text(value, unescape=False).strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None


def _participation(item) -> dict:
    if isinstance(item, dict):
        return {"stakeholder": item.get("stakeholder"), "role": item.get("role")}
    stakeholder, _separator, role = str(item).partition(":")
    return {"stakeholder": stakeholder.strip() or None, "role": role.strip() or None}


# A source's details an import may give; those it leaves out are kept from the record.
LINK_DETAILS = ("title", "publisher", "language", "published_on", "accessed_on")


def _link(item) -> dict:
    if isinstance(item, dict):
        link = {"url": str(item.get("url") or "").strip(), "title": item.get("title")}
        link.update({key: item[key] for key in LINK_DETAILS[1:] if key in item})
        if item.get("checked") is not None:
            if not isinstance(item["checked"], bool):
                raise ValueError(_("Say whether a source is checked with true or false."))
            link["checked"] = item["checked"]
        return link
    # A CSV or XLSX cell holds the address alone; the rest is kept from the record.
    return {"url": str(item).strip(), "title": None}


def _results(value) -> list:
    """Results as JSON Lines holds them (an array of objects), or that array as JSON text (a
    CSV or XLSX cell); an empty cell is no results."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            value = None
    elif value is None:
        return []
    if not isinstance(value, list) or any(not isinstance(item, dict) for item in value):
        raise ValueError(_("Give results as a JSON array of objects, as the export writes them."))
    return value


def _translations(cells: dict, *, unescape: bool) -> tuple[dict, dict]:
    """The translations the row gives, by language, and the cells that could not be read.

    Only the languages and fields whose columns the file has: a language given as None has no
    translation (every one of its cells is empty); the fields of a language that the file
    lacks are kept from the record (history.translations_merge)."""
    given, errors = {}, {}
    for language, names in TRANSLATION_COLUMNS.items():
        present = {field: name for field, name in names.items() if name in cells}
        if not present:
            continue
        entry = {}
        for field, name in present.items():
            text = _cell_text(cells[name], unescape=unescape)
            if "\x00" in text:
                errors[name] = [_("Text may not hold NUL characters.")]
            entry[field] = text.strip().lower() if field == "status" else text
        if not entry.get("status"):
            entry.pop("status", None)
        given[language] = entry if any(entry.values()) else None
    return given, errors


@dataclass
class ImportRow:
    """One row as the services take it: the values of the columns the file has, the keys it
    is matched on, and the cells that could not be read, by column."""

    number: int
    data: dict
    external_id: str
    source_url: str
    slug: str
    errors: dict


def import_row_values(file: ImportFile, index: int) -> ImportRow:
    """The row at `index` of the file, read column by column."""
    unescape = file.format == "csv"
    cells = dict(zip(file.dataset.headers, file.dataset[index], strict=False))
    data, errors = {}, {}
    for column in CONTENT_COLUMNS:
        if column not in cells or column in TRANSLATION_COLUMN_NAMES:
            continue
        value = cells[column]
        field = SERVICE_FIELDS.get(column, column)
        try:
            if column in TEXT_COLUMNS:
                data[field] = _cell_text(value, unescape=unescape)
                if "\x00" in data[field]:
                    raise ValueError(_("Text may not hold NUL characters."))
            elif column in DATE_COLUMNS:
                data[field] = _date(value)
            elif column == "stakeholders":
                data[field] = [_participation(item) for item in _items(value, unescape=unescape)]
            elif column == "links":
                data[field] = [_link(item) for item in _items(value, unescape=unescape)]
            elif column == "results":
                data[field] = _results(value)
            else:
                data[field] = [str(item).strip() for item in _items(value, unescape=unescape)]
        except ValueError as error:
            errors[column] = [str(error)]
    translations, translation_errors = _translations(cells, unescape=unescape)
    if translations:
        data["translations"] = translations
    errors.update(translation_errors)
    for tag in data.get("tags") or []:
        if len(tag) > TAG_MAX_LENGTH:
            errors["tags"] = [_("Keep each tag under %(limit)s characters.") % {"limit": TAG_MAX_LENGTH}]
    external_id = _cell_text(cells.get("external_id"), unescape=unescape).strip()
    if len(external_id) > EXTERNAL_ID_MAX_LENGTH:
        errors["external_id"] = [
            _("Keep the identifier under %(limit)s characters.") % {"limit": EXTERNAL_ID_MAX_LENGTH}
        ]
    return ImportRow(
        number=index + file.first_row,
        data=data,
        external_id=external_id,
        source_url=_cell_text(cells.get("source_url"), unescape=unescape).strip(),
        slug=_cell_text(cells.get("slug"), unescape=unescape).strip(),
        errors=errors,
    )
