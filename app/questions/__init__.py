"""Question types: one class per type, registered by id (DESIGN.md).

Each type knows how to validate its authored data (a pydantic model, the one source of
truth for the file format), what the learner may see before answering (never the key),
and how to score a response. A new type is one new module here plus its registration.
"""
