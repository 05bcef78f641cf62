"""The report for the therapist: history + plan -> one ``Report`` for a period (``data``),
rendered by ``view/report_html.py`` and ``view/report_md.py``."""
