"""The strict reading of JSON input that every serializer of the API shares."""

from collections.abc import Mapping

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

TEXT_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.RelatedField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DurationField,
    serializers.UUIDField,
)


# What a JSON caller was expected to send, by kind of field.
EXPECTED = {
    "text": _("Expected text (a JSON string)."),
    "boolean": _("Expected true or false."),
    "integer": _("Expected a whole number."),
    "number": _("Expected a number."),
}


def json_type_error(field, value) -> tuple[str, str] | None:
    """(where, expected kind) when a JSON value has another type than the schema gives its
    field, or None. `where` is the path inside the value ("", "[0].role").

    DRF reads 0 as the text "0", "true" or 1 as true and "12" as 12; the schema promises
    text, booleans and numbers, and a JSON caller is held to it.
    """
    if value is None:
        return None  # whether null is allowed is the field's own check
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        for index, item in enumerate(value if isinstance(value, list) else []):
            inner = json_type_error(field.child, item)
            if inner:
                return f"[{index}]{inner[0]}", inner[1]
        return None
    if isinstance(field, serializers.Serializer):
        for name, child in field.fields.items():
            if isinstance(value, Mapping) and name in value and not child.read_only:
                inner = json_type_error(child, value[name])
                if inner:
                    return f".{name}{inner[0]}", inner[1]
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else ("", "boolean")
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else ("", "integer")
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return None if isinstance(value, int | float) and not isinstance(value, bool) else ("", "number")
    if isinstance(field, TEXT_FIELDS) and not isinstance(field, serializers.MultipleChoiceField):
        return None if isinstance(value, str) else ("", "text")
    return None


def text_too_long(field, value) -> int | None:
    """The cap a JSON text exceeds as sent, or None. DRF measures text after trimming its
    whitespace; the schema's maxLength counts every character sent, and so does this."""
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        return next((cap for item in value if (cap := text_too_long(field.child, item))), None)
    if (
        isinstance(field, serializers.CharField)
        and field.trim_whitespace
        and field.max_length is not None
        and isinstance(value, str)
        and len(value) > field.max_length
    ):
        return field.max_length
    return None


# A serializer reading JSON as its schema describes it: a value of another type is a 400 on
# its field, whatever DRF would have made of it, and so is text longer than its maxLength
# before trimming. (Form data, all text, is left to DRF.)
# A comment, not a docstring: the schema would show it for every serializer without one.
class StrictInput:
    def to_internal_value(self, data):
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            errors = {}
            for name, field in self.fields.items():
                if name in data and not field.read_only:
                    found = json_type_error(field, data[name])
                    if found:
                        where, expected = found
                        message = str(EXPECTED[expected])
                        errors[name] = [f"{message} ({name}{where})" if where else message]
                    elif cap := text_too_long(field, data[name]):
                        messages = getattr(field, "child", field).error_messages
                        errors[name] = [messages["max_length"].format(max_length=cap)]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
