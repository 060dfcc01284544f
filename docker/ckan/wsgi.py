"""uWSGI entry point of the CKAN image (see gifu_wsgi.py)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gifu_wsgi import make_application

application = make_application()
