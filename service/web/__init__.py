"""Templates for the HTML pages and the digest email."""
