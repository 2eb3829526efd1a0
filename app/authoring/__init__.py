"""Authoring: lessons and items written and versioned in the browser."""
