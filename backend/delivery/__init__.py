"""Home delivery of results by the public postal service."""
