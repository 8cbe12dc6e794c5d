"""Follows: following a record or a topic (a key
task, an action line, a country, a stakeholder, a tag), and the page of what one follows with
what is new in it (its news goes into their digest)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..selectors import follows
from ..selectors import workspace as selectors
from .paging import paginate_records
from .record_page import initiative_or_404


@login_required
@require_POST
def follow_toggle(request, slug):
    initiative = initiative_or_404(request, slug)
    if request.POST.get("action") == "unfollow":
        services.follow_delete(actor=request.user, initiative=initiative)
        messages.success(request, _("You no longer follow this initiative."))
    else:
        services.follow_create(actor=request.user, initiative=initiative)
        messages.success(request, _("You follow this initiative; its news will be in your digest."))
    return redirect(initiative)


@login_required
def following(request):
    """What the reader follows (topics and initiatives) and what is new in all of it."""
    return render(
        request,
        "initiatives/following.html",
        {
            "topics": follows.topic_follows_of(request.user),
            "initiatives": selectors.follows_of(request.user),
            "page": paginate_records(request, follows.followed_news(request.user)),
        },
    )


@login_required
@require_POST
def topic_follow_toggle(request):
    """Follow or stop following the topic posted (`kind`, `value`), back on the topic's page."""
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "")
    found = follows.topic(request.user, kind, value)
    if found is None:
        return HttpResponseBadRequest(_("There is no such topic to follow."))
    if request.POST.get("action") == "unfollow":
        services.topic_follow_delete(actor=request.user, kind=found.kind, value=found.value)
        messages.success(request, _("You no longer follow %(topic)s.") % {"topic": found.name})
    else:
        services.topic_follow_create(actor=request.user, kind=found.kind, value=found.value)
        notice = _("You follow %(topic)s; what is published under it will be in your digest.")
        messages.success(request, notice % {"topic": found.name})
    return redirect(found.url)
