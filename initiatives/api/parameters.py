"""Headers and path parameters the initiatives API documents in its OpenAPI operations."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from governance.choices import Language

from ..texts import reader_language

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag you read; if the record has changed since, the answer is 412 and nothing changes.",
)
REVISION_ID = OpenApiParameter(
    "revision_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The proposal's id."
)
UPDATE_ID = OpenApiParameter(
    "update_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The progress note's id."
)
HISTORY_VERSION = OpenApiParameter(
    "version", OpenApiTypes.INT, OpenApiParameter.PATH, description="The version to bring back."
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag you hold; if it is still current the answer is an empty 304.",
)
LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=Language.values,
    description=(
        "The language of title, summary and body in the answer (each falls back to the original "
        "where there is no translation); without it, the language of Accept-Language."
    ),
)


def asked_language(request) -> str:
    """The record language a caller asked for: `?lang=`, else the request's language
    (Accept-Language, as LocaleMiddleware read it); a `lang` that is not one is a 400."""
    value = request.query_params.get("lang")
    if value is None:
        return reader_language()
    if value not in Language.values:
        raise ValidationError(
            {
                "lang": [
                    _("“%(value)s” is not a language of records (use %(known)s).")
                    % {"value": value, "known": ", ".join(Language.values)}
                ]
            }
        )
    return value
