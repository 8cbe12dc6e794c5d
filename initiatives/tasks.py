"""Celery tasks of the records: take ids, call a service or the invitation mail; retries live
here, rules do not."""

import smtplib

from celery import shared_task

from . import invitations
from .exports import opendata

# Transient mail trouble retries with backoff, as the digests do.
MAIL_RETRIES = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(
    name="initiatives.tasks.collaborator_invitation_send",
    **MAIL_RETRIES,
)
def collaborator_invitation_send(initiative_id: int, inviter_id: int, email: str) -> bool:
    return invitations.collaborator_invitation_send(
        initiative_id=initiative_id, inviter_id=inviter_id, email=email
    )


@shared_task(
    name="initiatives.tasks.collaborator_invitation_notify",
    **MAIL_RETRIES,
)
def collaborator_invitation_notify(invitation_id: int) -> bool:
    return invitations.collaborator_invitation_notify(invitation_id=invitation_id)


@shared_task(
    name="initiatives.tasks.invitation_decision_send",
    **MAIL_RETRIES,
)
def invitation_decision_send(invitation_id: int) -> bool:
    return invitations.invitation_decision_send(invitation_id=invitation_id)


@shared_task(
    name="initiatives.tasks.opendata_export",
    autoretry_for=(OSError,),
    retry_backoff=300,
    max_retries=3,
)
def opendata_export() -> str | None:
    """The nightly open-data dump (beat: "Open data dump"); the new dump's directory."""
    directory = opendata.opendata_dump()
    return str(directory) if directory is not None else None
