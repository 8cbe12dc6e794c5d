"""`{{ data|json_ld }}`: a schema.org description (initiatives.structured_data) as a JSON-LD
script element, which browsers keep as data and never run."""

from django import template
from django.utils.html import format_html

from ..structured_data import json_ld as json_ld_text

register = template.Library()


@register.filter
def json_ld(data) -> str:
    if not data:
        return ""
    return format_html('<script type="application/ld+json">{}</script>', json_ld_text(data))
