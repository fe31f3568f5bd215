"""The learning runtime: notes, sources, opportunity mining, proposals (reference §11)."""
