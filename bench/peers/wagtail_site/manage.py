#!/usr/bin/env python
"""The minimal Wagtail news site that bench/pages.py measures as a peer (see ../README.md)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsbench.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
