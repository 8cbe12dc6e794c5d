"""Enumerations of the frame: regions, stakeholder kinds, languages, roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """UN M49 regions."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


class StakeholderKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    UN_BODY = "un-body", _("UN body")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    CIVIL_SOCIETY = "civil-society", _("Civil society")
    PRIVATE_SECTOR = "private-sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    TECHNICAL_COMMUNITY = "technical-community", _("Technical community")


class Language(models.TextChoices):
    EN = "en", _("English")
    ZH_HANS = "zh-hans", _("Simplified Chinese")


class Role(models.TextChoices):
    """The platform roles; each is a Django group of the same name."""

    CONTRIBUTOR = "Contributor", _("Contributor")
    CURATOR = "Curator", _("Curator")
    MODERATOR = "Moderator", _("Moderator")
