"""Course content: lesson and item files, their checks, and loading them into the database."""
