"""The session loop: orient → decide → act → reflect → sleep, resumable after any crash."""
