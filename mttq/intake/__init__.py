"""Ways in for contributors who do not use git: the web form (``/soan-tin/``,
Decap CMS) and Word documents (``invoke import-docx``)."""
