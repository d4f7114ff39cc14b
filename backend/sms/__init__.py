"""Text messages to phones: the SMS gateway adapter that sign-in, identity checks and notifications share."""
