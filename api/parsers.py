"""JSON input for the whole API, refused with a 400 when it nests deeper than any request needs.

Python's decoder recurses once per level: a body of 100,000 `[` exhausts the stack and
would end in a RecursionError (a 500). The deepest input the API takes is a list of objects
inside an object (stakeholders, links); MAX_DEPTH leaves ample room above that.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def nesting_exceeds(data, limit: int) -> bool:
    """Whether lists or objects sit more than `limit` levels deep, walked without recursion."""
    level, depth = [data], 0
    while True:
        containers = [node for node in level if isinstance(node, dict | list)]
        if not containers:
            return False
        depth += 1
        if depth > limit:
            return True
        level = [
            child for node in containers for child in (node.values() if isinstance(node, dict) else node)
        ]


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, with a limit on nesting."""

    message = _("The JSON is nested too deeply (at most %(depth)d levels).")

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self.message % {"depth": MAX_DEPTH}) from None
        if nesting_exceeds(data, MAX_DEPTH):
            raise ParseError(self.message % {"depth": MAX_DEPTH})
        return data
