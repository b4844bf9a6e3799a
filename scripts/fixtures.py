"""Regenerates every fixture file in test/fixtures/ with real PyTorch (`npm run fixtures`).

Needs Debian's PyTorch: `apt-get install -y python3-torch`, run with /usr/bin/python3.
Each family has its own generator in scripts/fixtures/; pass family names to run only those.
"""
import importlib
import os
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
sys.path.insert(0, HERE)
FAMILIES = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py") and f != "common.py")

for family in sys.argv[1:] or FAMILIES:
    importlib.import_module(family).main()
