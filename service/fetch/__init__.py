"""HTTP retrieval of feeds: the request (http), the SSRF guard (guard), and the pure
rules for when to fetch next (schedule)."""
