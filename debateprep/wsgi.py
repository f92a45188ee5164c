import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debateprep.settings")
application = get_wsgi_application()
# What loading Django made (about 130,000 objects) lives as long as the worker: left to the
# collector, each full collection walks it all, a pause of over 100 ms every few thousand
# requests.
gc.freeze()
