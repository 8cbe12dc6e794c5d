"""OpenAPI: every operation documents the errors the API answers with, in one JSON shape."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

ERROR_SCHEMA = {
    "type": "object",
    "description": "An error. A 400 also has one entry per field at fault, each a list of messages.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": True,
}

ERRORS = {
    "400": "Bad input: a message per field (or parameter) at fault.",
    "401": "Not signed in, or the token is not valid.",
    "403": "The caller may not do this.",
    "404": "Not found, or not visible to the caller.",
    "405": "Method not allowed.",
    "406": "None of the media types in Accept can be served.",
    "409": "Someone else changed the record first; nothing was saved.",
    "412": "If-Match does not match the record's current ETag; nothing was changed.",
    "415": "The body's media type is not one the API reads (JSON, form data).",
    "429": "Too many requests; wait and try again.",
}
UNSAFE_ONLY = {"409", "412", "415"}


class ConcordAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(component)
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        for code, description in ERRORS.items():
            if code in UNSAFE_ONLY and not unsafe:
                continue
            responses.setdefault(
                code,
                {"content": {"application/json": {"schema": component.ref}}, "description": description},
            )
        if not unsafe:
            responses.setdefault("304", {"description": "Not modified: If-None-Match matched the ETag."})
        return responses
