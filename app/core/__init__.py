"""What every layer uses and nothing of the app's own: atomic file output (``atomic``), progress and cancel
(``progress``), the base errors and results (``errors``), text-safe XLSX cells (``xlsx_cells``),  where files live (``paths``), fonts (``fonts``), the
version (``version``) and the composition context handed to windows and commands (``context``); keeping SQL
and ID/phone numbers out of messages and logs (``redact``), the rotating, redacting log file (``logging_setup``)
and private files on POSIX (``private_files``).

May import: the standard library, third-party libraries, ``db``. Never ``app.services`` and above, never Qt.
"""
