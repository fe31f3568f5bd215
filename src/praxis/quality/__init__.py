"""Quality gates: goal criteria (reviewer), operator evals, postmortems."""
