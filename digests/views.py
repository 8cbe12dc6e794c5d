"""Digest pages: subscription settings, saved searches, one-click unsubscribe, the public archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .choices import Frequency, SubscriptionKind, Watch
from .forms import SavedSearchChangeForm, SavedSearchForm, SubscriptionForm
from .models import Subscription
from .tokens import TokenInvalid, unsubscribe_token_read

# Browse parameters that select a page or an order, not which initiatives match.
NON_FILTER_PARAMS = {"page", "ordering", "cursor", "format", "page_size"}


def _form_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def archive(request):
    return render(request, "digests/archive.html", {"weeks": selectors.weekly_archive()})


@login_required
def subscription_settings(request):
    subscription = Subscription.objects.filter(user=request.user, kind=SubscriptionKind.PROFILE).first()
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.subscription_update(
                    user=request.user,
                    frequency=data["frequency"],
                    watch=data["watch"],
                    key_tasks=[k.slug for k in data["key_tasks"]],
                    countries=[c.code for c in data["countries"]],
                    tags=data["tags"],
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your digest settings are saved."))
                return redirect("digests:settings")
    elif subscription is not None:
        form = SubscriptionForm(
            initial={
                "frequency": subscription.frequency,
                "watch": subscription.watch,
                "key_tasks": list(subscription.key_tasks.all()),
                "countries": list(subscription.countries.all()),
                "tags": ", ".join(subscription.tags),
            }
        )
    else:
        form = SubscriptionForm(initial={"frequency": Frequency.OFF, "watch": Watch.TOPICS})
    searches = Subscription.objects.filter(user=request.user, kind=SubscriptionKind.SEARCH).order_by(
        "-created_at"
    )
    return render(
        request,
        "digests/subscription_settings.html",
        {
            "form": form,
            "subscription": subscription,
            "searches": [(s, SavedSearchChangeForm(initial={"frequency": s.frequency})) for s in searches],
        },
    )


@login_required
def saved_search_save(request):
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            try:
                search = services.saved_search_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, _("Saved “%(name)s”; its digest starts now.") % {"name": search.name}
                )
                return redirect("digests:settings")
    else:
        params = request.GET.copy()
        for name in NON_FILTER_PARAMS:
            params.pop(name, None)
        form = SavedSearchForm(initial={"query": params.urlencode(), "name": params.get("q", "")})
    query = form["query"].value() or ""
    return render(
        request,
        "digests/saved_search_form.html",
        {"form": form, "query": query, "has_query": bool(query.strip())},
    )


@login_required
@require_POST
def saved_search_change(request, pk: int):
    search = get_object_or_404(Subscription, pk=pk, user=request.user, kind=SubscriptionKind.SEARCH)
    if request.POST.get("action") == "delete":
        services.saved_search_delete(user=request.user, subscription=search)
        messages.success(request, _("The saved search is deleted."))
        return redirect("digests:settings")
    form = SavedSearchChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how often you want this search's digest."))
        return redirect("digests:settings")
    services.saved_search_update(
        user=request.user, subscription=search, frequency=form.cleaned_data["frequency"]
    )
    messages.success(request, _("Saved."))
    return redirect("digests:settings")


@csrf_exempt  # RFC 8058: mail clients POST here without a session or a CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows what will be switched off; only POST (one click, no sign-in) does it."""
    try:
        value = unsubscribe_token_read(token)
        subscription = Subscription.objects.select_related("user").get(pk=value["s"], user_id=value.get("u"))
    except (TokenInvalid, Subscription.DoesNotExist):
        return render(request, "digests/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        try:
            subscription = services.subscription_unsubscribe(token=token)
        except (TokenInvalid, ValidationError):
            return render(request, "digests/unsubscribe_invalid.html", status=400)
        return render(request, "digests/unsubscribe.html", {"subscription": subscription, "done": True})
    return render(request, "digests/unsubscribe.html", {"subscription": subscription, "done": False})
