"""The calendar: dated dialogues, events and mechanisms on a page (a month, a list) and in an
iCalendar feed that calendar programs subscribe to, with the browse page's filters."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar

from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def _record(title, *, kind="event", start=None, end=None, state="published", **overrides):
    return factories.make_initiative(
        state=state, title=title, kind=kind, start_date=start, end_date=end, **overrides
    )


def _feed(client, params=None, **headers):
    response = client.get("/calendar.ics", params or {}, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar) -> dict:
    """{record URL: VEVENT} of a parsed feed."""
    return {str(event["URL"]): event for event in calendar.walk("VEVENT")}


def _url(record) -> str:
    return f"http://testserver{record.get_absolute_url()}"


@pytest.fixture
def dated(db, contributor):
    """Published records of each calendar kind with dates, and some the calendar leaves out."""
    records = {
        "summit": _record("Cyber summit", kind="event", start=D(2026, 3, 10), end=D(2026, 3, 12)),
        "dialogue": _record(
            "Bilateral dialogue",
            kind="dialogue",
            start=D(2026, 3, 20),
            key_task="major-power-cooperation",
            action_line=None,
            countries=["FR"],
        ),
        "mechanism": _record(
            "Standing mechanism", kind="mechanism", start=D(2025, 1, 1), end=D(2027, 12, 31)
        ),
        "ends_only": _record("Closing ceremony", kind="event", end=D(2026, 3, 25)),
    }
    left_out = {
        "undated": _record("Undated event", kind="event"),
        "project": _record("Dated project", kind="project", start=D(2026, 3, 11)),
        "draft": _record("Draft event", kind="event", start=D(2026, 3, 15), state="draft", owner=contributor),
    }
    return records, left_out


def test_the_feed_holds_exactly_the_dated_records_as_all_day_events(client, dated):
    records, _left_out = dated
    calendar = _feed(client)
    assert str(calendar["VERSION"]) == "2.0"
    assert "Concord" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Concord calendar"
    events = _events(calendar)
    assert set(events) == {_url(record) for record in records.values()}

    summit = events[_url(records["summit"])]
    assert summit.decoded("DTSTART") == D(2026, 3, 10)
    assert summit["DTSTART"].params["VALUE"] == "DATE"
    # DTEND is exclusive: the summit's last day is the 12th.
    assert summit.decoded("DTEND") == D(2026, 3, 13)
    assert str(summit["SUMMARY"]) == "Cyber summit"
    assert str(summit["DESCRIPTION"]).startswith(records["summit"].summary)
    assert str(summit["UID"]) == f"{records['summit'].slug}@127.0.0.1"
    changed = records["summit"].updated_at.replace(microsecond=0)
    assert summit.decoded("LAST-MODIFIED") == changed
    assert summit.decoded("DTSTAMP") == changed
    assert [str(c) for c in summit["CATEGORIES"].cats] == ["The Global South"]

    # A record with one date lasts that one day.
    dialogue = events[_url(records["dialogue"])]
    assert (dialogue.decoded("DTSTART"), dialogue.decoded("DTEND")) == (D(2026, 3, 20), D(2026, 3, 21))
    closing = events[_url(records["ends_only"])]
    assert (closing.decoded("DTSTART"), closing.decoded("DTEND")) == (D(2026, 3, 25), D(2026, 3, 26))


def test_uids_stay_the_same_from_one_reading_to_the_next(client, dated):
    records, _left_out = dated
    first = {str(e["UID"]) for e in _feed(client).walk("VEVENT")}
    records["summit"].refresh_from_db()
    second = {str(e["UID"]) for e in _feed(client).walk("VEVENT")}
    assert first == second and len(first) == len(records)


def test_the_feed_takes_the_browse_filters(client, dated):
    records, _left_out = dated
    by_task = _events(_feed(client, {"key_task": "major-power-cooperation"}))
    assert set(by_task) == {_url(records["dialogue"])}
    by_kind = _events(_feed(client, {"kind": "mechanism"}))
    assert set(by_kind) == {_url(records["mechanism"])}
    by_country = _events(_feed(client, {"country": "FR"}))
    assert set(by_country) == {_url(records["dialogue"])}
    assert str(_feed(client, {"kind": "event"})["X-WR-CALNAME"]) == "Concord calendar (filtered)"


def test_drafts_reach_their_owner_when_signed_in_and_nobody_else(client, dated, contributor):
    records, left_out = dated
    asking = {"moderation_state": "draft"}
    assert _events(_feed(client, asking)) == {}
    assert _url(left_out["draft"]) not in _events(_feed(client))

    client.force_login(factories.contributor())
    assert _events(_feed(client, asking)) == {}

    client.force_login(contributor)
    assert set(_events(_feed(client, asking))) == {_url(left_out["draft"])}
    # Without asking for a state, the calendar is the published one, as the browse page is.
    assert set(_events(_feed(client))) == {_url(record) for record in records.values()}


def test_chinese_titles_round_trip(client):
    title = (
        "中国—东盟网络空间对话会议第三次高级别会议暨数字经济合作论坛，"
        "讨论数据跨境流动与网络安全应急响应机制建设"
    )
    record = _record(title, kind="dialogue", start=D(2026, 5, 1), language="zh-hans")
    response = client.get("/calendar.ics", HTTP_ACCEPT_LANGUAGE="zh-hans")
    # Lines are folded at 75 octets without cutting a character in two.
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    calendar = Calendar.from_ical(response.content)
    event = _events(calendar)[_url(record)]
    assert str(event["SUMMARY"]) == title
    assert [str(c) for c in event["CATEGORIES"].cats] == ["全球南方"]
    assert str(calendar["X-WR-CALNAME"]) == "Concord 日历"


@override_settings(CALENDAR_FEED_MAX_EVENTS=2)
def test_the_feed_holds_the_records_that_start_last_up_to_the_bound(client):
    old = _record("Old event", start=D(2024, 1, 1))
    middle = _record("Middle event", start=D(2025, 1, 1))
    new = _record("New event", start=D(2026, 1, 1))
    events = _events(_feed(client))
    assert set(events) == {_url(middle), _url(new)}
    assert _url(old) not in events


@pytest.mark.parametrize(
    "params",
    [
        {"key_task": "no-such-task"},
        {"country": "ZZ"},
        {"kind": "picnic"},
        {"updated_since": "yesterday"},
    ],
)
def test_a_bad_filter_is_a_400_with_the_reason(client, params):
    feed = client.get("/calendar.ics", params)
    assert feed.status_code == 400
    assert feed["Content-Type"] == "text/plain; charset=utf-8"
    assert next(iter(params)) in feed.content.decode()
    page = client.get("/calendar/", params)
    assert page.status_code == 400
    assert "Some filters could not be used" in page.content.decode()


@pytest.mark.parametrize(
    "params", [{"month": "2026-13"}, {"month": "March"}, {"month": "0000-01"}, {"view": "year"}]
)
def test_a_bad_month_or_view_is_a_400(client, params):
    response = client.get("/calendar/", params)
    assert response.status_code == 400
    assert next(iter(params)) in response.context["errors"]


def _cells(response) -> dict:
    """{day: titles shown on it} of the month's grid."""
    return {
        cell["day"]: [item["entry"].title for item in cell["items"]]
        for week in response.context["weeks"]
        for cell in week
        if cell
    }


def test_the_month_shows_each_record_on_its_days(client, dated):
    records, _left_out = dated
    response = client.get("/calendar/", {"month": "2026-03"})
    assert response.status_code == 200
    page = response.content.decode()
    cells = _cells(response)
    assert [day for day, titles in cells.items() if "Cyber summit" in titles] == [
        D(2026, 3, 10),
        D(2026, 3, 11),
        D(2026, 3, 12),
    ]
    assert [day for day, titles in cells.items() if "Bilateral dialogue" in titles] == [D(2026, 3, 20)]
    assert [day for day, titles in cells.items() if "Closing ceremony" in titles] == [D(2026, 3, 25)]
    # The years-long mechanism starts and ends outside the month: it is listed above the grid.
    assert not any("Standing mechanism" in titles for titles in cells.values())
    assert [entry.title for entry in response.context["running"]] == ["Standing mechanism"]
    for title in ("Undated event", "Dated project", "Draft event"):
        assert title not in page
    # A table a screen reader can walk: a caption, the weekdays as column headers, dated cells.
    assert "<caption" in page and "March 2026" in page
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in page
    assert '<time class="calendar-day__number" datetime="2026-03-10">10</time>' in page
    assert 'href="?month=2026-02"' in page and 'href="?month=2026-04"' in page


def test_a_long_record_shows_where_it_starts_and_ends(client):
    _record("Year of dialogue", kind="mechanism", start=D(2026, 3, 5), end=D(2026, 9, 1))
    march = _cells(client.get("/calendar/", {"month": "2026-03"}))
    assert [day for day, titles in march.items() if titles] == [D(2026, 3, 5)]
    september = client.get("/calendar/", {"month": "2026-09"})
    assert [day for day, titles in _cells(september).items() if titles] == [D(2026, 9, 1)]
    assert "Ends:" in september.content.decode()


def test_the_month_takes_the_filters_and_the_feed_link_keeps_them(client, dated):
    response = client.get("/calendar/", {"month": "2026-03", "key_task": "major-power-cooperation"})
    titles = {title for titles in _cells(response).values() for title in titles}
    assert titles == {"Bilateral dialogue"}
    page = response.content.decode()
    assert 'href="/calendar.ics?key_task=major-power-cooperation"' in page
    assert 'href="webcal://testserver/calendar.ics?key_task=major-power-cooperation"' in page
    assert '<link rel="alternate" type="text/calendar"' in page


def test_the_list_shows_upcoming_records_first_grouped_by_month(client):
    today = timezone.localdate()
    past = _record("Past meeting", start=today - datetime.timedelta(days=400))
    running = _record(
        "Running mechanism",
        kind="mechanism",
        start=today - datetime.timedelta(days=10),
        end=today + datetime.timedelta(days=10),
    )
    later = _record("Later dialogue", kind="dialogue", start=today + datetime.timedelta(days=70))
    soon = _record("Soon event", start=today + datetime.timedelta(days=1))
    response = client.get("/calendar/", {"view": "list"})
    assert response.status_code == 200
    order = [entry.title for group in response.context["groups"] for entry in group["entries"]]
    assert order == [running.title, soon.title, later.title, past.title]
    page = response.content.decode()
    assert page.index('class="calendar-coming"') < page.index("Running mechanism")
    assert page.index("Soon event") < page.index("Later dialogue") < page.index('class="calendar-past"')
    assert page.index('class="calendar-past"') < page.index("Past meeting")
    # Each group is the month its records start in, headed by that month's name.
    for group in response.context["groups"]:
        for entry in group["entries"]:
            assert group["label"] == date_format(entry.first_day, "YEAR_MONTH_FORMAT")
    assert [group["over"] for group in response.context["groups"]][-1] is True


def test_the_list_takes_the_filters(client, dated):
    response = client.get("/calendar/", {"view": "list", "kind": "dialogue"})
    assert [e.title for g in response.context["groups"] for e in g["entries"]] == ["Bilateral dialogue"]


def test_the_calendar_speaks_chinese(client, dated):
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/calendar/", {"month": "2026-03"})
    page = response.content.decode()
    assert "<h1>日历</h1>" in page
    assert "2026年3月" in page
    assert '<abbr title="星期一">' in page
    listing = client.get("/calendar/", {"view": "list"}).content.decode()
    assert "订阅" in listing


def test_the_calendar_is_in_the_navigation(client):
    assert 'href="/calendar/"' in client.get("/").content.decode()


def test_the_first_and_last_months_of_the_calendar_answer(client):
    _record("Last event there can be", start=D(9999, 12, 30), end=D(9999, 12, 31))
    _record("First event there can be", start=D(1, 1, 1))
    last = client.get("/calendar/", {"month": "9999-12"})
    assert last.status_code == 200
    assert [day for day, titles in _cells(last).items() if titles] == [D(9999, 12, 30), D(9999, 12, 31)]
    assert last.context["next_month"] is None
    first = client.get("/calendar/", {"month": "0001-01"})
    assert first.status_code == 200
    assert [day for day, titles in _cells(first).items() if titles] == [D(1, 1, 1)]
    assert first.context["previous_month"] is None
    # The day after the last has no date: the feed gives that record's length instead.
    events = {str(event["SUMMARY"]): event for event in _feed(client).walk("VEVENT")}
    final = events["Last event there can be"]
    assert final.decoded("DTSTART") == D(9999, 12, 30)
    assert final.decoded("DURATION") == datetime.timedelta(days=2)
    assert "DTEND" not in final


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_query_counts_do_not_grow_with_the_records(client, contributor, signed_in):
    if signed_in:
        client.force_login(contributor)
    today = timezone.localdate()
    urls = [
        "/calendar.ics",
        "/calendar.ics?country=KE&tag=capacity+building",
        f"/calendar/?month={today:%Y-%m}",
        "/calendar/?view=list",
        "/calendar/?view=list&moderation_state=draft",
    ]

    def add(count):
        for number in range(count):
            _record(f"Meeting {number}", start=today + datetime.timedelta(days=number % 20), end=None)
            _record(f"Own draft {number}", start=today, state="draft", owner=contributor)

    add(1)
    for url in urls:  # what a process reads once whatever the records
        _queries(client, url)
    add(2)
    few = {url: _queries(client, url) for url in urls}
    add(12)
    many = {url: _queries(client, url) for url in urls}
    assert many == few


def test_hostile_titles_stay_text_on_the_calendar_and_in_the_feed(client):
    from tests.security import markup
    from tests.security.payloads import XSS_PAYLOADS

    payloads = XSS_PAYLOADS[:12]
    for number, payload in enumerate(payloads):
        _record(payload, summary=payload, start=D(2026, 6, 1 + number))
    for params in ({"month": "2026-06"}, {"view": "list"}):
        page = client.get("/calendar/", params).content.decode()
        assert markup.find(page).executable == [], params
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    summaries = {str(event["SUMMARY"]) for event in _feed(client).walk("VEVENT")}
    assert summaries == set(payloads)


def _record_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('"initiatives_initiative"' in query["sql"] for query in queries.captured_queries)


def test_the_feed_is_built_once_per_catalogue_change(client):
    first = _record("First meeting", start=D(2026, 2, 1))
    assert _record_queries(client, "/calendar.ics?kind=event") == 1
    assert _record_queries(client, "/calendar.ics?kind=event") == 0
    second = _record("Second meeting", start=D(2026, 2, 2))
    assert set(_events(_feed(client, {"kind": "event"}))) == {_url(first), _url(second)}
    # Another host gets its own addresses.
    other = Calendar.from_ical(client.get("/calendar.ics?kind=event", HTTP_HOST="127.0.0.1").content)
    assert {str(event["URL"]) for event in other.walk("VEVENT")} == {
        f"http://127.0.0.1{first.get_absolute_url()}",
        f"http://127.0.0.1{second.get_absolute_url()}",
    }


def test_a_busy_day_shows_a_few_and_links_to_the_month_as_a_list(client):
    for number in range(6):
        _record(f"Parallel session {number}", start=D(2026, 7, 7))
    response = client.get("/calendar/", {"month": "2026-07", "kind": "event"})
    assert len(_cells(response)[D(2026, 7, 7)]) == 4
    page = response.content.decode()
    assert "2 more" in page
    link = re.search(r'<a href="\?([^"]*)">2 more</a>', page).group(1)
    listing = client.get(f"/calendar/?{html.unescape(link)}")
    assert listing.context["month_label"] == "July 2026"
    titles = [entry.title for group in listing.context["groups"] for entry in group["entries"]]
    assert sorted(titles) == [f"Parallel session {number}" for number in range(6)]
    assert "kind=event" in link


def test_months_before_the_year_1000_keep_four_digits(client):
    response = client.get("/calendar/", {"month": "0999-12"})
    assert response.status_code == 200
    assert (response.context["previous_month"], response.context["next_month"]) == ("0999-11", "1000-01")
    assert 'value="0999-12"' in response.content.decode()
