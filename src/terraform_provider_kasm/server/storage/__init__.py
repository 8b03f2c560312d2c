"""Storage: SQLAlchemy tables (`tables`), engine/session handling and migrations (`db`)."""
