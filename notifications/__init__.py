"""Notifications: what happened around a record, told to each person concerned, in the site and
by e-mail, each as they choose per kind.

- choices: the kinds, the channels, each kind's default channel.
- models: a notification per person and event, and a person's channel per kind.
- receivers: hear `initiatives.announcements.member_event` and enqueue the task after commit.
- recipients: who is told of an event, and as which kind.
- services: creating an event's notifications, e-mailing one, reading, settings, the digest's part.
- selectors: unread counts, a person's list and settings, what waits for their digest.
- texts, emails: what a notification says, in the recipient's language.
- tasks, views, urls, forms, context_processors, admin, api/: the doors.
"""
