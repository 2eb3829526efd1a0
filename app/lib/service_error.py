"""The one shape of error the services raise when a request cannot be carried out."""

from __future__ import annotations


class ServiceError(ValueError):
    """A request a service cannot carry out. ``status`` is the HTTP status that says why,
    so a view can answer with it without knowing the service's rules; ``message`` is
    plain English for the page or the JSON error."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
