"""One module per app, each registering its ``@generator`` functions (benchmarks.registry)."""
