"""Scoring against labelled data (pure): how the project measures its accuracy."""
