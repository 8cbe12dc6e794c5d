"""webhooks' part of the API: serializers, views, and the registrations api/urls.py composes."""
