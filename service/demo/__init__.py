"""The seed event, replayed offline: a bundled corpus, a replay feed server, the driver."""
