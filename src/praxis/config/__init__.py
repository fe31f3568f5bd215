"""Typed configuration, loaded once at start-up. Environment access lives in `env`."""
