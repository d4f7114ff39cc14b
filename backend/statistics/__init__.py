"""Public statistics: the Decision 766 index per agency, province, procedure and month (issue 19), read from
roll-up tables the worker keeps (``rollup``), never from the dossiers on a request."""
