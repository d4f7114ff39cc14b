"""Assisted filing (issue 20): a helper at a post office or a commune files for a citizen, with the citizen's consent,
on the record."""
