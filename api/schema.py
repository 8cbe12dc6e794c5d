"""OpenAPI: a schema that tells the truth about every operation, for every view, present and future.

- Security: an operation an anonymous caller may call lists `{}` among its requirements, as
  the view's own permissions answer for an anonymous request of that method.
- Answers: every operation documents the error statuses the API (and the server in front
  of it) answers with, errors in one JSON shape.
- Input: what the serializers enforce beyond their types is stated too: text without NUL
  characters and, where blank is refused, with more than whitespace; web addresses as
  Django reads them; the caps on lists of objects; the values of the frame's vocabularies
  (key tasks, action lines, advocacies, countries), read from the database when the schema
  is made. References to records that come and go (stakeholders, people, tags) cannot be
  listed: a request naming one that does not exist is a 400 on that field.
- Query parameters: filters as the FilterSets read them, where an empty value means "no
  filter" and a repeatable one is capped.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError
from django.test import RequestFactory
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.request import Request

from governance.models import ActionLine, Advocacy, Country, KeyTask

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
# Answered by the HTTP server before the API sees the request, in its own words.
SERVER_ANSWERS = {"414": "The address is too long for the server to read."}

# DRF refuses NUL characters in any text; text that may not be blank needs more than
# whitespace when it is trimmed, and at least one character when it is not.
TEXT = r"^[^\x00]+$"  # an allowed blank is the other branch of the schema spectacular writes
NOT_BLANK_TRIMMED = r"^[^\x00]*[^\x00\s][^\x00]*$"
# A web address as Django's URLValidator reads it: http(s) in any case, a host name of up
# to five labels, a port, then anything but whitespace. (Django reads more: addresses by
# IP, other schemes, names in other scripts; the schema promises the common part.) Not the
# "uri" format: Django takes characters a URI may not hold, and so a record may show them.
LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?"
WEB_ADDRESS = (
    rf"^[hH][tT][tT][pP][sS]?://(?:{LABEL}\.){{1,4}}[a-zA-Z]{{2,20}}(?::[0-9]{{1,4}})?(?:[/?#][^\s]*)?$"
)
NO_FORMAT = "(no format)"


def _frame():
    # model: (the field naming its rows, the schema component listing them)
    return {
        KeyTask: ("slug", "KeyTaskSlug"),
        ActionLine: ("slug", "ActionLineSlug"),
        Advocacy: ("slug", "AdvocacySlug"),
        Country: ("code", "CountryCode"),
    }


def frame_values(model) -> list[str] | None:
    """The values naming the rows of a vocabulary of the frame, or None for any other model."""
    frame = _frame()
    if model not in frame:
        return None
    field = frame[model][0]
    try:
        return list(model.objects.order_by(field).values_list(field, flat=True))
    except DatabaseError:
        # Generated where no database answers (`check --deploy` on a build host): the
        # values are left out rather than the schema refused; a running site lists them.
        return None


def _with_enum(schema: dict, values: list[str] | None) -> dict:
    return {**schema, "enum": values} if values is not None else schema


def _frame_model(field):
    model = getattr(field, "frame_model", None)
    if model is None and isinstance(field, serializers.RelatedField) and field.queryset is not None:
        model = field.queryset.model
    return model if model in _frame() else None


class ConcordAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if auths and {} not in auths and self._anonymous_may_call():
            auths.append({})
        return auths

    def _anonymous_may_call(self) -> bool:
        request = Request(RequestFactory().generic(self.method, self.path))
        request._request.user = AnonymousUser()
        try:
            return all(
                permission.has_permission(request, self.view) for permission in self.view.get_permissions()
            )
        except Exception:  # a permission that needs more than a bare request: say it needs a caller
            return False

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.URLField) and isinstance(schema, dict):
            schema.pop("format", None)
            schema["format"] = NO_FORMAT  # spectacular adds "uri" for the URLValidator otherwise
        if direction != "request" or not isinstance(schema, dict) or "$ref" in schema or field.read_only:
            return schema
        if isinstance(field, serializers.ListSerializer):
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
            if field.min_length is not None:
                schema["minItems"] = field.min_length
            return schema
        model = _frame_model(field)
        if model is not None:
            return self._frame_reference(model, schema, nullable=field.allow_null)
        if isinstance(field, serializers.RelatedField):
            if field.allow_null:
                schema.pop("minLength", None)  # "" is read as null
        elif isinstance(field, serializers.URLField):
            schema["pattern"] = WEB_ADDRESS
        elif type(field) is serializers.CharField and "pattern" not in schema:
            if field.allow_blank or not field.trim_whitespace:
                schema["pattern"] = TEXT
            else:
                schema["pattern"] = NOT_BLANK_TRIMMED
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        for part in [schema, *schema.get("oneOf", [])]:
            if part.get("format") == NO_FORMAT:
                del part["format"]
        branches = schema.get("oneOf")
        if branches and len(branches) == 2 and branches[1] == {"type": "string", "maxLength": 0}:
            if not {"format", "pattern", "minLength"} & set(branches[0]):
                # Nothing left that the blank branch stands apart from: "" would match both.
                schema.update(schema.pop("oneOf")[0])

    def _frame_reference(self, model, schema: dict, *, nullable: bool) -> dict:
        """A reference to a row of the frame: one of the values listed in its component."""
        name = _frame()[model][1]
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema=_with_enum({"type": "string"}, frame_values(model)),
        )
        self.registry.register_on_missing(component)
        described = {key: schema[key] for key in ("description", "title") if key in schema}
        if not nullable:
            return {"allOf": [component.ref], **described} if described else component.ref
        # DRF reads "" as null in a related field.
        blank = {"type": "string", "enum": [""]}
        return {"oneOf": [component.ref, blank], "nullable": True, **described}

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
        for code, description in SERVER_ANSWERS.items():
            responses.setdefault(code, {"description": description})
        if not unsafe:
            responses.setdefault("304", {"description": "Not modified: If-None-Match matched the ETag."})
        return responses


def _or_empty(schema: dict) -> dict:
    """A query parameter's schema, with the empty value every filter reads as "no filter"."""
    if schema.get("type") == "string" and not ({"format", "pattern", "enum", "minLength"} & set(schema)):
        return schema
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], ""]} if "" not in schema["enum"] else schema
    return {"anyOf": [schema, {"type": "string", "enum": [""]}]}


class ConcordFilterExtension(DjangoFilterExtension):
    """Filters as the FilterSets read them: the frame's vocabularies listed, the repeatable
    parameters capped, and an empty value accepted as "no filter"."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        import django_filters

        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        limit = getattr(filter_field.field_class, "max_values", None)
        values = None
        if isinstance(
            filter_field, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
        ):
            queryset = filter_field.queryset
            values = frame_values(queryset.model) if queryset is not None else None
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "array":
                items = {"type": "string", "enum": values} if values is not None else schema["items"]
                schema["items"] = _or_empty(items)
                if limit is not None:
                    schema["maxItems"] = limit
            else:
                parameter["schema"] = _or_empty(
                    {"type": "string", "enum": values} if values is not None else schema
                )
        return parameters
