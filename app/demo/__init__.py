"""Demo data for a laptop: accounts anyone can sign in with, never in production."""
