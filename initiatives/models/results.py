"""What a record sets out to achieve and how far it got: results, their indicators, and the
values an indicator reached in each period.

They are part of the record's content: written only through the snapshot (history.py), so
that an edit of them is moderated, kept in the history and restored like any other.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .initiative import Initiative

# Digits of an indicator's values: counts and amounts up to a hundred billion, and fractions to
# four places. Fifteen significant digits in all, so that every value the database holds is
# written exactly as a JSON number (a double keeps 15) and comes back the same.
VALUE_DIGITS = 15
VALUE_PLACES = 4


def progress_towards(*, baseline, target, actual) -> int | None:
    """How far `actual` got from `baseline` (0 when none) to `target`, as 0 to 100 percent;
    None without a target or a value. The record page and the API both say it this way."""
    if target is None or actual is None:
        return None
    baseline = baseline or 0
    span = target - baseline
    if span == 0:
        return 100 if actual == target else 0
    share = (actual - baseline) / span * 100
    return int(max(0, min(100, round(share))))


def latest_of(periods) -> object:
    """The period that ended last among those with a value (each has `start`, `end`, `actual`)."""
    reported = [period for period in periods if period["actual"] is not None]
    return max(reported, key=lambda period: (period["end"], period["start"])) if reported else None


def _value_field(label, **kwargs):
    return models.DecimalField(label, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, **kwargs)


class Result(models.Model):
    """An outcome a project or programme aims at, measured by its indicators."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="results")
    title = models.CharField(_("title"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="result_title_not_empty")]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """A measure of a result: where it started (baseline) and where it should get (target)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = _value_field(_("baseline"), null=True, blank=True)
    target = _value_field(_("target"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="indicator_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    @property
    def latest_actual(self):
        """The value of the period that ended last among those with a value (periods prefetched)."""
        latest = latest_of({"start": p.start, "end": p.end, "actual": p.actual} for p in self.periods.all())
        return latest["actual"] if latest else None

    @property
    def progress(self) -> int | None:
        """How far the latest value got from the baseline to the target, 0 to 100 percent."""
        return progress_towards(baseline=self.baseline, target=self.target, actual=self.latest_actual)


class IndicatorPeriod(models.Model):
    """The value an indicator reached over a span of time."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    actual = _value_field(_("actual value"), null=True, blank=True)

    class Meta:
        ordering = ["start", "end", "id"]
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="indicator_period_end_not_before_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.start}–{self.end}"
