"""The front door: landing page, each role's home, and health checks."""
