"""Enumerations of the records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


class InitiativeKind(models.TextChoices):
    PROJECT = "project", _("Project")
    DIALOGUE = "dialogue", _("Dialogue")
    MECHANISM = "mechanism", _("Mechanism")
    EVENT = "event", _("Event")
    NETWORK = "network", _("Network")
    MEASURE = "measure", _("Measure")
    PROGRAMME = "programme", _("Programme")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FUNDER = "funder", _("Funder")
    HOST = "host", _("Host")
    OBSERVER = "observer", _("Observer")


class UpdateKind(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    MILESTONE = "milestone", _("Milestone")
    MEETING = "meeting", _("Meeting")
    OUTCOME = "outcome", _("Outcome")


class UpdateState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Awaiting review")
    REJECTED = "rejected", _("Rejected")


class RevisionState(models.TextChoices):
    OPEN = "open", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class HistoryAction(models.TextChoices):
    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    RESTORE = "restore", _("Restored")
    MERGE = "merge", _("Merged")
    REVISION = "revision", _("Revision approved")
    BULK = "bulk", _("Bulk edit")
    TRANSITION = "transition", _("State changed")


class EventAction(models.TextChoices):
    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    PROPOSE = "propose", _("Propose revision")
    SUBMIT = "submit", _("Submit")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    APPROVE_REVISION = "approve-revision", _("Approve revision")
    REJECT_REVISION = "reject-revision", _("Reject revision")
    ARCHIVE = "archive", _("Archive")
    RESTORE = "restore", _("Restore version")
    MERGE = "merge", _("Merge")
    BULK = "bulk", _("Bulk edit")


class PublicEvent(models.TextChoices):
    """What happened to a published record, as told outside the site (webhooks)."""

    PUBLISHED = "published", _("Published")
    UPDATED = "updated", _("Updated")
    ARCHIVED = "archived", _("Archived")
    MERGED = "merged", _("Merged")
    COMMENT_ADDED = "comment_added", _("Comment added")


class MemberEvent(models.TextChoices):
    """What happened that the people around a record may be told about (notifications).

    Details sent with each: SUBMITTED, APPROVED: none; REJECTED: `reason`; REVISION_PROPOSED,
    REVISION_APPROVED: `revision`; REVISION_REJECTED: `revision`, `reason`; NOTE_PUBLISHED,
    NOTE_HELD: `update`; INVITED: `invitation`; COMMENT_POSTED: `comment`, `mentioned` (the
    users named with @username who exist).
    """

    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVISION_PROPOSED = "revision_proposed", _("Change proposed")
    REVISION_APPROVED = "revision_approved", _("Change approved")
    REVISION_REJECTED = "revision_rejected", _("Change rejected")
    NOTE_PUBLISHED = "note_published", _("Progress note published")
    NOTE_HELD = "note_held", _("Progress note held for review")
    INVITED = "invited", _("Invited to collaborate")
    COMMENT_POSTED = "comment_posted", _("Comment posted")


class TopicKind(models.TextChoices):
    """What a follow names, and how: a slug (an initiative's too), an ISO alpha-2 code or a
    tag's slug."""

    KEY_TASK = "key_task", _("Key task")
    ACTION_LINE = "action_line", _("Action line")
    COUNTRY = "country", _("Country")
    STAKEHOLDER = "stakeholder", _("Stakeholder")
    TAG = "tag", _("Tag")
    INITIATIVE = "initiative", _("Initiative")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TranslationStatus(models.TextChoices):
    """Where a language's text of a record comes from."""

    ORIGINAL = "original", _("original")
    PERSON = "person", _("translated by a person")
    PENDING = "pending", _("translation pending")
