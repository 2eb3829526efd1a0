"""Pure helpers with no knowledge of Flask, the database or any domain."""
