"""Training centres, cohorts and the staff who run them."""
