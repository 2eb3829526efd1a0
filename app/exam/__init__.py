"""The exam engine: blueprints, forms, attempts and scoring (mock now, certification next)."""
