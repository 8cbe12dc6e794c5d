"""Reusable reads of initiatives: visibility rules and the prefetching pages need."""

from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from .choices import ModerationState


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(moderation_state=ModerationState.PUBLISHED)

    def visible_to(self, user):
        """Published records for everyone; own and collaborating ones; all for staff roles."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.published()
        if user.is_superuser or user.is_curator or user.is_moderator:
            return self
        collaborating = self.model.collaborators.through.objects.filter(
            initiative_id=OuterRef("pk"), user_id=user.pk
        )
        return self.filter(
            Q(moderation_state=ModerationState.PUBLISHED) | Q(owner_id=user.pk) | Exists(collaborating)
        )

    def editable_by(self, user):
        """Records whose content this user may change (directly or as a pending revision)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.is_curator:
            return self
        collaborating = self.model.collaborators.through.objects.filter(
            initiative_id=OuterRef("pk"), user_id=user.pk
        )
        return self.filter(Q(owner_id=user.pk) | Exists(collaborating))

    def for_list(self):
        from governance.models import Country

        return self.select_related("key_task", "action_line", "owner").prefetch_related(
            Prefetch("countries", queryset=Country.objects.only("code", "name_en", "name_zh")),
            "tags",
            "advocacies",
            "participations__stakeholder",
        )

    def for_detail(self):
        return self.for_list().prefetch_related("links", "collaborators")

    def update(self, **kwargs):
        """A bulk update still bumps each row's version and leaves a history entry per row."""
        from .history import revisions_record_bulk

        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            if not pks:
                return 0
            kwargs.setdefault("version", F("version") + 1)
            kwargs.setdefault("updated_at", timezone.now())
            if "body" in kwargs:
                # The kept HTML is of the old body; the next view renders the new one.
                kwargs.setdefault("body_html", None)
            rows = self.model.objects.filter(pk__in=pks)._update_untracked(**kwargs)
            revisions_record_bulk(initiative_ids=pks)
            return rows

    update.alters_data = True

    def _update_untracked(self, **kwargs):
        """For services, which record their own history entry in the same transaction."""
        from .answers import catalogue_changed

        rows = super().update(**kwargs)
        if rows:
            catalogue_changed()
        return rows

    _update_untracked.alters_data = True
