"""The notifications' part of the API: serializers, views and their URL registrations."""
