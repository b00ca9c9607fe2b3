"""``python -m app`` — the GUI by default, sub-commands for scripts (see app/main.py)."""

import sys

from app.main import main

sys.exit(main())
