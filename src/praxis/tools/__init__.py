"""Tools: manifests, registry, policy, approvals, execution."""
