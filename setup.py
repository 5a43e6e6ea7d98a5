"""Only what pyproject.toml cannot say: the top-level ``templates/`` folder ships
inside the package as ``automation._templates`` (wheel, sdist and editable
installs alike), where ``automation.templates`` finds it with importlib.resources.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["automation*"]), "automation._templates"],
    package_dir={"automation._templates": "templates"},
    package_data={"automation._templates": ["*.j2", "*/*.j2"]},  # language sets in subfolders
)
