"""Article text for feeds that carry only headlines: which items want their page read
(rules), fetching it politely (fetch), reading the main text out of it (extract), and the
stage that runs them beside the poller (stage)."""
