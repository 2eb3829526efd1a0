"""Item analysis for staff: which questions misbehave, from the answers trainees gave."""
