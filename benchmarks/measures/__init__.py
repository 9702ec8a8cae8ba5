"""One module per app, each registering its measurements (benchmarks.registry)."""
