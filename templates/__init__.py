"""The built-in email templates (``*.j2``).

This file only makes the folder a package: installed, it is
``automation._templates`` (see setup.py), read with importlib.resources.
"""
