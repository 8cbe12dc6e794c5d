"""The results page of a record: small forms that add, change or delete one result,
indicator or period at a time.

Each step builds the record's whole new list of results from the one the page was loaded
with and hands it to the same edit service as the record's form, at the version the page
was loaded at: a contributor's change of a published record waits for a moderator, and a
change made by someone else meanwhile is refused, not overwritten.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services
from ..forms import IndicatorForm, PeriodForm, ResultForm, ResultsStepForm
from ..history import number_text
from ..models import PendingRevision
from ..services.validation import RESULT_KINDS
from .record_page import initiative_to_edit

# Each step the page offers, and the form that reads its input.
STEPS = {
    "add_result": ResultForm,
    "rename_result": ResultForm,
    "delete_result": ResultsStepForm,
    "add_indicator": IndicatorForm,
    "edit_indicator": IndicatorForm,
    "delete_indicator": ResultsStepForm,
    "add_period": PeriodForm,
    "delete_period": ResultsStepForm,
}


def _indicator_values(data: dict) -> dict:
    return {
        "name": data["name"],
        "unit": data["unit"],
        "baseline": number_text(data["baseline"]),
        "target": number_text(data["target"]),
    }


def _results_after(results: list[dict], step: str, data: dict) -> list[dict]:
    """The list of results once the step is taken; IndexError or TypeError when the step
    names a place the list does not have."""
    results = copy.deepcopy(results)
    if step == "add_result":
        results.append({"title": data["title"], "indicators": []})
        return results
    result = results[data["result"]]
    if step == "rename_result":
        result["title"] = data["title"]
    elif step == "delete_result":
        results.pop(data["result"])
    elif step == "add_indicator":
        result["indicators"].append({**_indicator_values(data), "periods": []})
    else:
        indicator = result["indicators"][data["indicator"]]
        if step == "edit_indicator":
            indicator.update(_indicator_values(data))
        elif step == "delete_indicator":
            result["indicators"].pop(data["indicator"])
        elif step == "add_period":
            indicator["periods"].append(
                {"start": data["start"], "end": data["end"], "actual": number_text(data["actual"])}
            )
        elif step == "delete_period":
            indicator["periods"].pop(data["period"])
    return results


def _take_step(request, initiative, results: list[dict]) -> list[str]:
    """Apply the posted step; the messages to show when it could not be taken."""
    step = request.POST.get("step")
    form_class = STEPS.get(step)
    if form_class is None:
        return [_("Choose what to change.")]
    form = form_class(request.POST)
    if not form.is_valid():
        return [
            f"{form.fields[field].label or field}: {' '.join(errors)}"
            if field in form.fields and form.fields[field].label
            else " ".join(errors)
            for field, errors in form.errors.items()
        ]
    try:
        changed = _results_after(results, step, form.cleaned_data)
    except (IndexError, TypeError, ValueError):
        return [_("That item is no longer on the page; reload it and try again.")]
    try:
        outcome = services.initiative_edit(
            actor=request.user,
            initiative=initiative,
            data={"results": changed},
            expected_version=form.cleaned_data["version"],
        )
    except services.ConcurrentEditError as error:
        return [str(error)]
    except ValidationError as error:
        return error.messages
    if isinstance(outcome, PendingRevision):
        messages.success(
            request, _("Your change is waiting for a moderator; the published results stay until then.")
        )
    else:
        messages.success(request, _("The results are saved."))
    return []


@login_required
def initiative_results(request, slug):
    """The record's results, with a small form for each change."""
    initiative, mode, snapshot = initiative_to_edit(request, slug)
    # The results as the editor sees them: the live ones, or the open proposal's.
    results = snapshot.get("results") or []
    errors = []
    if request.method == "POST":
        errors = _take_step(request, initiative, results)
        if not errors:
            return redirect(reverse("initiatives:results", args=[initiative.slug]))
        initiative.refresh_from_db()
    return render(
        request,
        "initiatives/initiative_results.html",
        {
            "initiative": initiative,
            "results": results,
            "mode": mode,
            "errors": errors,
            "may_have_results": initiative.kind in RESULT_KINDS,
            "version": initiative.version,
        },
        status=400 if errors else 200,
    )
