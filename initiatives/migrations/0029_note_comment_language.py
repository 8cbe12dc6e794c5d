"""Progress notes and comments carry the language they are written in.

Rows written before it get the language their text shows: "zh-hans" when most of its letters
are Chinese characters, otherwise "en". The rule is initiatives.search.text_language, copied
here as it stands, since a migration must not follow later changes to the app's code.
"""

import re

from django.db import migrations, models

CJK_CHARACTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Only rows with a Chinese character can be Chinese: the others keep the default, "en".
ANY_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
BATCH = 1000


def text_language(*texts: str) -> str:
    text = " ".join(part for part in texts if part)
    chinese = len(CJK_CHARACTER.findall(text))
    other = sum(1 for character in text if character.isalpha()) - chinese
    return "zh-hans" if chinese > other else "en"


def _detect(model, fields: tuple[str, ...]) -> None:
    candidates = models.Q()
    for field in fields:
        candidates |= models.Q(**{f"{field}__regex": ANY_CJK})
    chinese = []
    for row in model.objects.filter(candidates).only("pk", *fields).iterator(chunk_size=BATCH):
        if text_language(*(getattr(row, field) for field in fields)) == "zh-hans":
            chinese.append(row.pk)
    for start in range(0, len(chinese), BATCH):
        model.objects.filter(pk__in=chinese[start : start + BATCH]).update(language="zh-hans")


def detect(apps, schema_editor):
    _detect(apps.get_model("initiatives", "Update"), ("title", "text"))
    _detect(apps.get_model("initiatives", "Comment"), ("body",))


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0028_source_details")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                default="en",
                max_length=8,
                verbose_name="language of the text",
            ),
        ),
        migrations.AddField(
            model_name="update",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                default="en",
                max_length=8,
                verbose_name="language of the text",
            ),
        ),
        # Going back removes the column, and the languages with it.
        migrations.RunPython(detect, migrations.RunPython.noop),
    ]
