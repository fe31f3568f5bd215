"""Model providers: the request/reply types, the stub backend and the factory."""
