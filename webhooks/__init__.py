"""Webhooks: signed JSON deliveries about published records to the addresses administrators register.

- models: the webhook, each delivery (one event to one webhook, one id for all its attempts) and
  each attempt (status, response time, error).
- services: register, change and delete a webhook (administrators), create deliveries, make
  one attempt, re-send.
- addresses: which addresses a delivery may reach, and the pinned connection that reaches them.
- payloads: the record as the API's detail shows it to an anonymous caller.
- receivers: hears initiatives.announcements.public_event and creates the deliveries.
- tasks: the Celery task that sends a delivery, with retries and exponential backoff.
- admin, api: the doors (the admin's re-send action; /api/v1/webhooks/).
"""
