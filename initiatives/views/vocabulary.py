"""Curators' changes to a tag, posted from its page: labels and synonyms, or a merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import TagLabelsForm, TagMergeForm
from .public import tag_page, tag_visible_or_404


def _curated(request, slug):
    tag = tag_visible_or_404(request, slug)
    if not request.user.has_perm("initiatives.curate_tags", tag):
        raise PermissionDenied(_("Only curators change or merge tags."))
    return tag


def _errors_to(form, error: ValidationError, rename: dict | None = None) -> None:
    for field, field_messages in error.message_dict.items():
        field = (rename or {}).get(field, field)
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_POST
def tag_labels(request, slug):
    tag = _curated(request, slug)
    form = TagLabelsForm(request.POST)
    if form.is_valid():
        try:
            services.tag_labels_set(actor=request.user, tag=tag, **form.cleaned_data)
        except ValidationError as error:
            _errors_to(form, error)
        else:
            messages.success(request, _("The tag's labels and synonyms are saved."))
            return redirect("initiatives:tag", slug=tag.slug)
    return tag_page(request, tag, labels_form=form)


@login_required
@require_POST
def tag_merge(request, slug):
    tag = _curated(request, slug)
    form = TagMergeForm(request.POST)
    if form.is_valid():
        try:
            survivor = services.tag_merge(actor=request.user, source=tag, target=form.cleaned_data["into"])
        except ValidationError as error:
            _errors_to(form, error, rename={"target": "into"})
        else:
            messages.success(request, _("“%(source)s” is merged into this tag.") % {"source": tag.name})
            return redirect("initiatives:tag", slug=survivor.slug)
    return tag_page(request, tag, merge_form=form)
