"""The record a delivery carries: as the API's detail shows it to an anonymous caller."""

import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from initiatives.api.serializers import InitiativeSerializer
from initiatives.selectors import initiatives_for_representation


def initiative_public(initiative) -> dict | None:
    """What GET /api/v1/initiatives/{slug}/ answers an anonymous caller; None if it is not public."""
    anonymous = AnonymousUser()
    record = initiatives_for_representation(user=anonymous).filter(pk=initiative.pk).first()
    if record is None:
        return None
    request = Request(RequestFactory().get(f"/api/v1/initiatives/{record.slug}/"))
    request.user = anonymous
    # An anonymous caller who names no language is answered in the site's own.
    with translation.override(settings.LANGUAGE_CODE):
        data = InitiativeSerializer(record, context={"request": request}).data
    return json.loads(json.dumps(data, cls=JSONEncoder))
