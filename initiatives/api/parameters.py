"""Headers and path parameters the initiatives API documents in its OpenAPI operations."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

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
