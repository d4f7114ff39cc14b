"""Public questions and feedback ("phản ánh, kiến nghị"): citizens ask, agencies answer on a clock (issue 19)."""
