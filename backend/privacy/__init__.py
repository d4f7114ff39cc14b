"""Personal data (issue 21): who looked at a citizen's data, what the portal holds about them, the export, account
closure and retention, the privacy notice."""
