"""Analysis of session history: argus, drift, forensics."""
