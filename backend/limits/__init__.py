"""Rate limits kept in the database, so that every process and every machine of the portal counts together."""
