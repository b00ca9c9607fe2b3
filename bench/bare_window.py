"""Baseline for bench/startup.py: a bare PySide6 main window, shown the same way the app shows its own."""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("调解工作台"))
window.resize(1280, 800)
window.show()


def shown() -> None:
    print(f"SHOWN {time.time()}", flush=True)
    app.quit()


QTimer.singleShot(0, shown)
sys.exit(app.exec())
