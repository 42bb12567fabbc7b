"""The daily digest: what to say (compose), how it travels (message, smtp), and the
once-per-day-and-recipient bookkeeping (deliver)."""
