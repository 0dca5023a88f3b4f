"""Charts and reports: pictures and a self-contained document an analyst can hand on.

Needs the ``report`` extra (matplotlib, Jinja2): ``pip install 'statecraft[report]'``.
"""
