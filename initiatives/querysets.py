"""Reusable reads of initiatives: visibility rules and the prefetching pages need; and of who
is editing one now.

Reads only: `update()` is Django's own. A write that makes a version says so in its service
(history.revision_record) and retires the kept API answers there (catalogue.catalogue_changed).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from .choices import ModerationState, TranslationStatus


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(moderation_state=ModerationState.PUBLISHED)

    def with_checked_source(self, checked: bool = True):
        """Records with at least one source a curator checked (or, `checked=False`, none)."""
        links = self.model._meta.get_field("links").related_model
        has_one = Exists(links.objects.filter(initiative_id=OuterRef("pk"), checked=True))
        return self.filter(has_one) if checked else self.exclude(has_one)

    def _translated_by_person(self, language: str):
        translations = self.model._meta.get_field("translations").related_model
        return Exists(
            translations.objects.filter(
                initiative_id=OuterRef("pk"), language=language, status=TranslationStatus.PERSON
            ).exclude(title="")
        )

    def readable_in(self, language: str):
        """Records a reader of `language` reads in it: written in it, or translated into it by
        a person (a pending draft translation does not count)."""
        return self.filter(Q(language=language) | self._translated_by_person(language))

    def needing_translation(self, language: str):
        """Records not written in `language` that no person has translated into it yet: no
        translation, or only a pending draft."""
        return self.exclude(language=language).exclude(self._translated_by_person(language))

    def visible_to(self, user):
        """Published records for everyone; own and collaborating ones; all for staff roles.

        For a member the rule is split into parts an index answers: published, or unpublished
        with an id among those they own or collaborate on. The ids are a small uncorrelated
        subquery (two index-only reads) that PostgreSQL runs once and hashes, so a page in any
        order walks that order's index and never asks about a row twice. Saying "unpublished"
        again keeps the planner's estimate of the rows (the count past its exact bound) close.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.published()
        if user.is_superuser or user.is_curator or user.is_moderator:
            return self
        published = Q(moderation_state=ModerationState.PUBLISHED)
        return self.filter(published | (~published & Q(pk__in=self.member_ids(user))))

    def member_ids(self, user):
        """Ids of the unpublished records this user owns and of those they collaborate on."""
        owned = (
            self.model._base_manager.filter(owner_id=user.pk)
            .exclude(moderation_state=ModerationState.PUBLISHED)
            .order_by()
            .values_list("pk")
        )
        collaborating = (
            self.model.collaborators.through.objects.filter(user_id=user.pk)
            .order_by()
            .values_list("initiative_id")
        )
        return owned.union(collaborating, all=True)

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


class EditPresenceQuerySet(models.QuerySet):
    """Presences last touched within EDIT_PRESENCE_SECONDS are current; older ones have lapsed."""

    @staticmethod
    def _cutoff():
        return timezone.now() - timedelta(seconds=settings.EDIT_PRESENCE_SECONDS)

    def current(self):
        return self.filter(seen_at__gte=self._cutoff())

    def lapsed(self):
        return self.filter(seen_at__lt=self._cutoff())
