"""The report of a check: self-contained HTML, ``findings.json`` and the terminal summary."""
