"""One check end to end: video(s) + logs + answers -> findings -> report (``run_check``)."""
