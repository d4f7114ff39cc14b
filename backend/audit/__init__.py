"""The access log (issue 21): every time staff or a helper opens a citizen's data, on the record, batched."""
