"""The Chinese catalogues: every message the code and templates use has a live translation, and
what `compilemessages` builds from the .po files (as a deploy does) serves the digest pages and
e-mails in Chinese. The .mo files are build output, never committed."""

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import timezone
from django.utils.translation.reloader import translation_file_changed

from digests import services as digest_services
from digests.choices import RunKind
from initiatives.models import Initiative
from tests import factories

BASE_DIR = Path(settings.BASE_DIR)
# What a checkout holds besides the code: left out of the copy that messages are extracted from.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", ".*_cache", "*.mo")
MSGID = re.compile(r'^msgid ("(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*)', re.MULTILINE)


def _catalogues(root: Path) -> list[Path]:
    """The project's Chinese .po files under `root`: LOCALE_PATHS and each of our apps' locale/."""
    directories = [root / Path(path).relative_to(BASE_DIR) for path in settings.LOCALE_PATHS]
    for app in apps.get_app_configs():
        if Path(app.path).is_relative_to(BASE_DIR):
            directories.append(root / Path(app.path).relative_to(BASE_DIR) / "locale")
    found = [d / "zh_Hans" / "LC_MESSAGES" / "django.po" for d in directories]
    return [po for po in found if po.exists()]


def _msgids(po: Path, *selection: str) -> list[str]:
    """The msgids `msgattrib` selects from `po`, the header left out."""
    command = ["msgattrib", *selection, "--no-wrap", str(po)]  # noqa: S607 -- gettext, as makemessages uses it
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    ids = ["".join(part[1:-1] for part in m.split("\n")) for m in MSGID.findall(text)]
    return [i for i in ids if i]


def test_a_fresh_extraction_finds_every_message_translated_into_chinese(tmp_path):
    """`makemessages` run afresh (in a copy, so the tree stays as it is) leaves nothing for the
    translator: no empty msgstr, no fuzzy guess, no obsolete entry kept from old code."""
    copy = tmp_path / "concord"
    shutil.copytree(BASE_DIR, copy, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-v", "0"],
        cwd=copy,
        check=True,
    )
    catalogues = _catalogues(copy)
    assert {po.relative_to(copy).parts[0] for po in catalogues} >= {"locale", "digests"}
    missing = {}
    for po in catalogues:
        name = str(po.relative_to(copy))
        problems = {
            "untranslated": _msgids(po, "--untranslated", "--no-obsolete"),
            "fuzzy": _msgids(po, "--only-fuzzy", "--no-obsolete"),
            "obsolete": _msgids(po, "--only-obsolete", "--clear-obsolete"),
        }
        missing.update({f"{name} {kind}": ids for kind, ids in problems.items() if ids})
    assert missing == {}


@pytest.fixture
def compiled(settings):
    """The catalogues as `manage.py compilemessages` builds them from the .po files."""
    for po in _catalogues(BASE_DIR):
        po.with_suffix(".mo").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--ignore", ".venv", "--ignore", "var", "-v", "0"],
        cwd=BASE_DIR,
        check=True,
    )
    # What Django's autoreloader does when a .mo changes: forget the catalogues read so far.
    translation_file_changed(sender=None, file_path=Path("django.mo"))
    settings.DIGESTS_SETTLE_SECONDS = 0
    settings.SITE_URL = "https://concord.example"
    yield
    translation_file_changed(sender=None, file_path=Path("django.mo"))


@pytest.mark.django_db
def test_the_digest_pages_are_chinese_after_compilemessages(compiled, client):
    reader = factories.UserFactory(preferred_language="zh-hans")
    client.force_login(reader)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/digests/settings/").content.decode()
    for text in ("摘要设置", "已保存的搜索", "尚无保存的搜索。", "频率"):
        assert text in page, text
    assert "Digest settings" not in page
    archive = client.get("/digests/").content.decode()
    assert "每周摘要" in archive and "最近八周没有新发布的倡议。" in archive


def _send(kind: str) -> list:
    mail.outbox.clear()
    run = digest_services.digest_run_start(kind=kind)
    for ids in digest_services.due_batches(run=run):
        digest_services.digest_batch_send(run_id=run.pk, ids=ids)
    return list(mail.outbox)


@pytest.mark.django_db
def test_digest_reminder_and_nudge_emails_are_chinese_after_compilemessages(compiled):
    reader = factories.UserFactory(preferred_language="zh-hans", first_name="", last_name="")
    digest_services.subscription_update(user=reader, frequency="daily")
    published = factories.make_initiative(state="published", title="Rural broadband", status="active")
    (digest,) = [m for m in _send(RunKind.DAILY) if m.to == [reader.email]]
    assert digest.subject == "Concord 摘要：1 项新增或更新的倡议"
    assert f"{reader.username}，您好：" in digest.body
    assert "[新增] Rural broadband" in digest.body
    assert "一键退订此摘要：" in digest.body

    moderator = factories.moderator(preferred_language="zh-hans")
    waiting = factories.make_initiative(state="submitted", title="Waiting three days")
    Initiative.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=72)
    )
    (reminder,) = [m for m in _send(RunKind.REMINDER) if m.to == [moderator.email]]
    assert reminder.subject == "Concord：有 1 项提交已等待超过 48 小时"
    assert "以下提交正在等待审核员处理：" in reminder.body and "审核队列：" in reminder.body

    owner = published.owner
    owner.preferred_language = "zh-hans"
    owner.save(update_fields=["preferred_language"])
    Initiative.objects.filter(pk=published.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=120)
    )
    (nudge,) = [m for m in _send(RunKind.NUDGE) if m.to == [owner.email]]
    assert nudge.subject == "Concord：您有 1 项倡议已 90 天没有更新"
    assert "如果某项倡议已经结束，请修改其状态。" in nudge.body
