"""PySide6 and pyqtgraph live only here: windows, dialogs, item models, charts, the task runner."""
