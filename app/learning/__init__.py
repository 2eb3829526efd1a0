"""What trainees study: the course map, lesson pages and their audio."""
