"""The notifications page and the settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import NotificationSettingsForm
from .models import Notification
from .texts import notification_html, notification_path

PAGE_SIZE = 25


@login_required
def notification_list(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(n, notification_html(n), notification_path(n)) for n in page.object_list]
    return render(request, "notifications/notification_list.html", {"page": page, "items": items})


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read(request, pk: int):
    try:
        services.notification_mark_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404(_("No notification of yours has this number.")) from None
    return _back(request)


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("All your notifications are marked read (%(count)s).") % {"count": count})
    return _back(request)


@login_required
def notification_settings(request):
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.notification_settings_update(actor=request.user, channels=form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:settings")
    else:
        form = NotificationSettingsForm(initial=selectors.channels_of(request.user))
    status = 400 if form.errors else 200
    return render(request, "notifications/settings.html", {"form": form}, status=status)
