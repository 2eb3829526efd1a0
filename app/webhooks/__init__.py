"""Signed webhooks for the recruitment system: endpoints, the outbox, and its worker."""
