"""Importing files in the export's columns: rows become drafts through the services, matched on
external_id or source_url, each reported as created, updated, unchanged or refused, and a
second import of the same file changes nothing."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from initiatives.choices import ModerationState
from initiatives.exports.columns import export_queryset, export_rows
from initiatives.exports.writers import export_chunks
from initiatives.imports import jobs, pipeline
from initiatives.imports.pipeline import import_rows
from initiatives.imports.reading import ImportFileError, import_file_read
from initiatives.models import Indicator, Initiative, InitiativeEvent, PendingRevision, Revision
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "external_id,source_url,title,summary,key_task,kind,countries,stakeholders,links,start_date\n"


def exported(file_format: str, queryset=None) -> bytes:
    rows = export_rows(
        export_queryset(queryset if queryset is not None else Initiative.objects.order_by("pk"))
    )
    return b"".join(export_chunks(file_format, rows))


def run(actor, content: bytes, file_format: str = "csv", *, dry_run=False, language="en") -> dict:
    return import_rows(
        actor=actor, file=import_file_read(content, file_format), dry_run=dry_run, language=language
    )


def written() -> tuple[int, int, int]:
    return Initiative.objects.count(), Revision.objects.count(), InitiativeEvent.objects.count()


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
def test_an_export_imported_again_changes_nothing(curator, file_format):
    factories.make_initiative(
        title="网络空间命运共同体：数字丝绸之路合作",
        body="=SUM(1)\n\n**全球南方**, line two",
        links=[{"url": "https://example.org/silk-road", "title": "Silk road"}],
        start_date="2024-03-01",
    )
    factories.make_initiative(
        state="published",
        links=[{"url": "https://example.org/cert", "title": "CERT"}],
        tags=["-leading dash"],
    )
    content = exported(file_format)
    before = written()

    report = run(curator, content, file_format)

    assert report["counts"] == {"create": 0, "update": 0, "unchanged": 2, "refused": 0}, report
    assert [entry["matched_on"] for entry in report["rows"]] == ["source_url", "source_url"]
    assert written() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
def test_rows_become_drafts_of_the_importer_and_a_second_import_changes_nothing(curator, file_format):
    source = factories.make_initiative(
        external_id=None,
        links=[{"url": "https://example.org/one", "title": "One"}],
        title="Digital agriculture",
    )
    content = exported(file_format)
    Initiative.objects.filter(pk=source.pk).delete()

    first = run(curator, content, file_format)
    assert first["counts"]["create"] == 1, first
    created = Initiative.objects.get(slug=first["rows"][0]["slug"])
    assert created.owner == curator and created.moderation_state == ModerationState.DRAFT
    assert created.title == "Digital agriculture"
    assert created.links.get().title == ("" if file_format != "jsonl" else "One")
    before = written()

    second = run(curator, content, file_format)

    assert second["counts"] == {"create": 0, "update": 0, "unchanged": 1, "refused": 0}, second
    assert written() == before


def test_a_matching_external_id_updates_the_record_through_the_services(curator):
    record = factories.make_initiative(state="published")
    Initiative.objects.filter(pk=record.pk).update(external_id="UN-42")
    content = (
        HEADER
        + "UN-42,,New title,New summary,global-south,project,KE; BR,undp:lead,https://example.org/new,\n"
    ).encode()

    report = run(curator, content)

    entry = report["rows"][0]
    assert entry["action"] == "update" and entry["matched_on"] == "external_id" and not entry["held"]
    assert set(entry["changes"]) >= {"title", "summary", "countries", "links"}
    record.refresh_from_db()
    assert record.title == "New title" and record.moderation_state == ModerationState.PUBLISHED
    assert sorted(record.countries.values_list("code", flat=True)) == ["BR", "KE"]
    assert record.revisions.order_by("-version").first().actor == curator
    assert run(curator, content)["counts"]["unchanged"] == 1


def test_refused_rows_say_why_field_by_field_in_the_readers_language(curator):
    content = (
        HEADER
        + ",,,No title,global-south,project,,,,\n"
        + ",,A title,Summary,global-south,spaceship,XX,undp:boss,javascript:alert(1),2024-13-40\n"
        + ",,Fine,Summary,global-south,project,KE,,,\n"
    ).encode()
    before = written()

    report = run(curator, content)

    assert report["counts"] == {"create": 1, "update": 0, "unchanged": 0, "refused": 2}
    first, second, third = report["rows"]
    assert first["row"] == 2 and first["action"] == "refused"
    assert first["errors"] == {"title": ["This field is required."]}
    assert second["errors"] == {"start_date": ["Enter a date as YYYY-MM-DD."]}
    third_row = Initiative.objects.get(slug=third["slug"])
    assert written() == (before[0] + 1, before[1] + 1, before[2] + 1) and third_row.title == "Fine"

    fixed = (
        HEADER
        + ",,A title,Summary,global-south,spaceship,KE,,javascript:alert(1),\n"
        + ",,A title,Summary,global-south,project,XX,undp:boss,,\n"
    ).encode()
    english = [entry["errors"] for entry in run(curator, fixed, dry_run=True)["rows"]]
    chinese = [entry["errors"] for entry in run(curator, fixed, dry_run=True, language="zh-hans")["rows"]]
    assert [set(errors) for errors in english] == [{"kind", "links"}, {"countries", "stakeholders"}]
    assert english[1] == {"countries": ["Unknown value: XX."], "stakeholders": ["Unknown role: boss."]}
    assert [set(errors) for errors in chinese] == [set(errors) for errors in english]
    assert english[0]["kind"] != chinese[0]["kind"] and "spaceship" in chinese[0]["kind"][0]
    assert chinese[1]["countries"] != english[1]["countries"]


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(curator):
    record = factories.make_initiative(links=[{"url": "https://example.org/kept", "title": "Kept"}])
    content = (
        HEADER
        + ",https://example.org/kept,Renamed,Summary,global-south,project,,,,\n"
        + "NEW-1,,Brand new,Summary,global-south,project,,,,\n"
    ).encode()
    before = written()

    report = run(curator, content, dry_run=True)

    assert [entry["action"] for entry in report["rows"]] == ["update", "create"]
    assert report["rows"][0]["slug"] == record.slug and report["dry_run"] is True
    assert written() == before
    record.refresh_from_db()
    assert record.title != "Renamed" and not Initiative.objects.filter(external_id="NEW-1").exists()


def test_cells_the_database_could_not_hold_are_refused_on_their_column(curator):
    content = (HEADER + ",,Nul\x00title,S,global-south,project,,,,\n").encode()
    report = run(curator, content)
    assert report["rows"][0]["errors"] == {"title": ["Text may not hold NUL characters."]}
    jsonl = (
        b'{"title": "T", "summary": "S", "key_task": "global-south", "kind": "project", "tags": ["'
        + b"x" * 101
        + b'"]}'
    )
    assert set(run(curator, jsonl, "jsonl")["rows"][0]["errors"]) == {"tags"}
    assert not Initiative.objects.exists()


def test_a_key_met_twice_in_one_file_is_refused_the_second_time(curator):
    content = (
        HEADER + "A-1,,One,S,global-south,project,,,,\n" + "A-1,,Two,S,global-south,project,,,,\n"
    ).encode()
    report = run(curator, content)
    assert [entry["action"] for entry in report["rows"]] == ["create", "refused"]
    assert report["rows"][1]["errors"] == {"external_id": ["Row 2 has the same external_id."]}


def test_a_record_the_importer_may_not_edit_is_refused(curator):
    record = factories.make_initiative()
    Initiative.objects.filter(pk=record.pk).update(external_id="M-1", merged_into=factories.make_initiative())
    report = run(curator, (HEADER + "M-1,,T,S,global-south,project,,,,\n").encode())
    assert report["rows"][0]["action"] == "refused" and report["rows"][0]["slug"] == record.slug
    assert "row" in report["rows"][0]["errors"]


@pytest.mark.parametrize(
    ("content", "file_format", "message"),
    [
        (b"title,summary\nA,B\n", "csv", "lacks the columns key_task, kind"),
        (b"\x00\xff\xfe garbage", "xlsx", "cannot be read as XLSX"),
        (b'{"title": "a"}\nnot json\n', "jsonl", "Line 2 is not a JSON object"),
        (b"\xff\xfe\x00t", "csv", "not UTF-8"),
        (HEADER.encode(), "csv", "holds no rows"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(content, file_format, message):
    with pytest.raises(ImportFileError) as error:
        import_file_read(content, file_format)
    assert message in error.value.message


def test_xlsx_and_jsonl_written_by_hand_are_read(curator):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["title", "summary", "key_task", "kind", "start_date", "external_id"])
    sheet.append(
        ["From a spreadsheet", "S", "global-south", "project", __import__("datetime").date(2024, 5, 1), 7]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    jsonl = json.dumps(
        {
            "title": "From JSON",
            "summary": "S",
            "key_task": "global-south",
            "kind": "dialogue",
            "stakeholders": [{"stakeholder": "undp", "role": "partner"}],
            "links": [{"url": "https://example.org/j", "title": "J"}],
        }
    ).encode()

    assert run(curator, buffer.getvalue(), "xlsx")["counts"]["create"] == 1
    assert run(curator, jsonl, "jsonl")["counts"]["create"] == 1
    from_sheet = Initiative.objects.get(external_id="7")
    assert from_sheet.start_date.isoformat() == "2024-05-01"
    from_json = Initiative.objects.get(title="From JSON")
    assert from_json.participations.get().role == "partner" and from_json.links.get().title == "J"


def test_the_command_dry_runs_and_imports_as_the_user_named(tmp_path, capsys):
    curator = factories.curator(username="importing-curator")
    path = tmp_path / "records.csv"
    path.write_bytes((HEADER + "C-1,,By command,S,global-south,project,,,,\n").encode())

    call_command("import_initiatives", str(path), "--dry-run", "--as", "importing-curator")
    assert "create" in capsys.readouterr().out and not Initiative.objects.filter(external_id="C-1").exists()

    call_command("import_initiatives", str(path), "--as", "importing-curator")
    assert Initiative.objects.get(external_id="C-1").owner == curator

    with pytest.raises(CommandError, match="Only curators"):
        call_command("import_initiatives", str(path), "--as", factories.contributor().username)
    with pytest.raises(CommandError, match="Unknown format"):
        call_command("import_initiatives", str(tmp_path / "records.txt"), "--as", "importing-curator")


def test_a_job_that_stops_says_how_far_it_got(curator, monkeypatch):
    job = jobs.import_job_create(
        actor=curator,
        content=(HEADER + ",,T,S,global-south,project,,,,\n").encode(),
        format_name="csv",
        filename="stops.csv",
        dry_run=False,
        language="en",
        total=1,
        background=False,
    )

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(pipeline, "_chunk_import", broken)
    with pytest.raises(RuntimeError):
        jobs.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == "failed" and "stopped after 0 rows" in job.report["errors"]["file"][0]


RESULTS = [
    {
        "title": "Farmers reached",
        "indicators": [
            {
                "name": "Farmers registered",
                "unit": "farmers",
                "baseline": 0,
                "target": "50000",
                "periods": [
                    {"start": "2024-01-01", "end": "2024-06-30", "actual": 6200},
                    {"start": "2024-07-01", "end": "2024-12-31", "actual": "14800.5"},
                ],
            }
        ],
    }
]


def translated_records():
    chinese = factories.make_initiative(
        state="published",
        title="中国—东盟数字经济合作伙伴关系",
        summary="围绕跨境电子商务开展务实合作。",
        body="**数字人才**培养",
        language="zh-hans",
        kind="programme",
        links=[{"url": "https://example.org/asean", "title": "来源"}],
        translations={
            "en": {
                "title": "China–ASEAN Digital Economy Partnership",
                "summary": "Practical cooperation on cross-border e-commerce.",
                "body": "=Training of **digital talent**",
            }
        },
        results=RESULTS,
    )
    english = factories.make_initiative(
        title="Digital agriculture pilots",
        links=[{"url": "https://example.org/sahel", "title": "Source"}],
        translations={"zh-hans": {"title": "数字农业试点", "summary": "", "body": "", "status": "pending"}},
    )
    return chinese, english


def translations_of(initiative) -> dict:
    return {t.language: (t.title, t.summary, t.body, t.status) for t in initiative.translations.all()}


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
def test_translations_and_results_exported_and_imported_again_change_nothing(curator, file_format):
    translated_records()
    content = exported(file_format)
    before = written()

    report = run(curator, content, file_format)

    assert report["counts"] == {"create": 0, "update": 0, "unchanged": 2, "refused": 0}, report
    assert written() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "jsonl"])
def test_an_imported_file_creates_records_with_their_translations_and_results(curator, file_format):
    chinese, english = translated_records()
    expected = {record.title: translations_of(record) for record in (chinese, english)}
    results = chinese.revisions.order_by("-version").first().snapshot["results"]
    content = exported(file_format)
    Initiative.objects.all().delete()

    first = run(curator, content, file_format)

    assert first["counts"]["create"] == 2, first
    for entry in first["rows"]:
        created = Initiative.objects.get(slug=entry["slug"])
        assert translations_of(created) == expected[created.title]
    created = Initiative.objects.get(title=chinese.title)
    snapshot = created.revisions.get(version=created.version).snapshot
    # The same results as new items of the new record: only their ids differ.
    assert [r["title"] for r in snapshot["results"]] == [r["title"] for r in results]
    assert snapshot["results"][0]["indicators"][0]["periods"] == results[0]["indicators"][0]["periods"]
    assert snapshot["results"][0]["id"] != results[0]["id"]
    before = written()

    second = run(curator, content, file_format)

    # The file's result ids are the deleted record's: the same content is still unchanged.
    assert second["counts"] == {"create": 0, "update": 0, "unchanged": 2, "refused": 0}, second
    assert written() == before


def test_a_file_adding_an_english_translation_to_a_chinese_record_updates_it(curator):
    record = factories.make_initiative(
        state="published",
        title="全球数据安全倡议",
        summary="维护供应链开放、安全、稳定。",
        language="zh-hans",
        links=[{"url": "https://example.org/gdsi", "title": "来源"}],
    )
    content = (
        "source_url,title,summary,key_task,kind,title_en,summary_en,body_en\n"
        f"https://example.org/gdsi,{record.title},{record.summary},global-south,project,"
        'Global Initiative on Data Security,"Keeps supply chains open, secure and stable.",=1+1\n'
    ).encode()

    report = run(curator, content)

    entry = report["rows"][0]
    assert entry["action"] == "update" and not entry["held"], report
    assert entry["changes"] == ["title_en", "summary_en", "body_en", "translation_status_en"]
    translation = record.translations.get()
    assert (translation.language, translation.title, translation.status) == (
        "en",
        "Global Initiative on Data Security",
        "person",
    )
    assert translation.summary == "Keeps supply chains open, secure and stable."
    assert translation.body == "=1+1"
    assert record.revisions.order_by("-version").first().actor == curator
    assert run(curator, content)["counts"]["unchanged"] == 1

    # A file with the English title alone keeps the rest; one with every cell empty removes it.
    retitled = content.replace(b",title_en,summary_en,body_en", b",title_en").replace(
        b',"Keeps supply chains open, secure and stable.",=1+1', b""
    )
    retitled = retitled.replace(b"Global Initiative on Data Security", b"Data Security Initiative")
    assert run(curator, retitled)["rows"][0]["changes"] == ["title_en"]
    translation = record.translations.get()
    assert (translation.title, translation.summary) == (
        "Data Security Initiative",
        "Keeps supply chains open, secure and stable.",
    )
    emptied = (
        "source_url,title,summary,key_task,kind,title_en,summary_en,body_en,translation_status_en\n"
        f"https://example.org/gdsi,{record.title},{record.summary},global-south,project,,,,\n"
    ).encode()
    assert run(curator, emptied)["rows"][0]["action"] == "update"
    assert not record.translations.exists()


def test_translation_cells_the_services_refuse_are_reported(curator):
    record = factories.make_initiative(
        title="Cyber dialogue", links=[{"url": "https://example.org/dialogue", "title": "Source"}]
    )
    content = (
        "source_url,title,summary,key_task,kind,title_en,summary_zh_hans,translation_status_zh_hans\n"
        f"https://example.org/dialogue,{record.title},{record.summary},global-south,project,"
        "An English title in the English record's columns,只有摘要,original\n"
    ).encode()

    entry = run(curator, content)["rows"][0]

    assert entry["action"] == "refused"
    assert entry["errors"]["translations"]
    assert not record.translations.exists()


def test_an_edit_that_must_wait_holds_the_translation_as_a_proposal(curator):
    owner = factories.contributor()
    record = factories.make_initiative(
        owner=owner,
        state="published",
        title="网络安全合作",
        summary="中文摘要。",
        language="zh-hans",
        links=[{"url": "https://example.org/held", "title": "来源"}],
    )
    content = (
        "source_url,title,summary,key_task,kind,title_en\n"
        f"https://example.org/held,{record.title},{record.summary},global-south,project,Cyber cooperation\n"
    ).encode()

    # The pipeline edits as its actor may: the owner's edit of a published record waits.
    entry = run(owner, content)["rows"][0]

    assert entry["action"] == "update" and entry["held"], entry
    assert entry["changes"] == ["title_en", "translation_status_en"]
    assert not record.translations.exists()
    proposal = PendingRevision.objects.get(initiative=record)
    assert proposal.snapshot["translations"]["en"]["title"] == "Cyber cooperation"


def test_results_in_a_file_update_the_record_and_keep_the_ids_it_has(curator):
    chinese, _english = translated_records()
    row = json.loads(exported("jsonl", Initiative.objects.filter(pk=chinese.pk)))
    indicator_id = row["results"][0]["indicators"][0]["id"]
    periods = row["results"][0]["indicators"][0]["periods"]
    periods.append({"start": "2025-01-01", "end": "2025-06-30", "actual": 23500})
    row["results"].append({"id": 999999, "title": "Talent trained", "indicators": []})

    report = run(curator, (json.dumps(row) + "\n").encode(), "jsonl")

    entry = report["rows"][0]
    assert entry["action"] == "update" and entry["changes"] == ["results"], report
    indicator = Indicator.objects.get(pk=indicator_id)
    assert indicator.periods.count() == 3 and indicator.latest_actual == 23500
    assert list(chinese.results.values_list("title", flat=True)) == ["Farmers reached", "Talent trained"]

    row["results"] = "not a list"
    refused = run(curator, (json.dumps(row) + "\n").encode(), "jsonl")["rows"][0]
    assert refused["action"] == "refused" and "results" in refused["errors"]
