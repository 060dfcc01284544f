"""The Gifu City look of the ``gifu`` plugin: template helpers and the accessibility statement page.

Templates live in ``../templates``, the stylesheet sources in ``../assets`` (built from the Digital
Agency design tokens at install time), static files (the 市章) in ``../public``.
"""
