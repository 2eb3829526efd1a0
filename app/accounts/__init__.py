"""People and sign-in: accounts, roles, passwords, joining a cohort, reset links."""
