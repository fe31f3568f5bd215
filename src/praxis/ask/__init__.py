"""Stateless `ask`: one prompt, optional attachments, one model call, no state change."""
