"""Study pages open to every visitor: kanji with stroke order (more come with lessons)."""
