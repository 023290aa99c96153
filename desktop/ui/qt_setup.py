"""What every QApplication of this program gets: the bundled Chinese font, Qt's Chinese strings, the locale.

Shared by the real program (desktop.app) and by off-screen rendering (ui.screenshot), so a screenshot looks
exactly like the window a clerk sees, and neither ever shows tofu on a PC without a Chinese system font.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from desktop import APP_NAME, APP_ORG, __version__
from desktop.core import paths

log = logging.getLogger(__name__)

FONT_FILE = "wqy-microhei.ttc"
FONT_FAMILY = "WenQuanYi Micro Hei"
FONT_LICENCE_FILE = "LICENSE-Apache-2.0.txt"
QT_TRANSLATIONS = ("qtbase_zh_CN",)

# Kept alive for the life of the process: Qt holds only pointers to installed translators.
_installed: list[QTranslator] = []
_font_id: int | None = None


def bundled_font_path() -> Path:
    return paths.resources_dir() / "fonts" / FONT_FILE


def app_icon_path() -> Path:
    """The window and taskbar icon (drawn by resources/icons/make_icon.py)."""
    return paths.resources_dir() / "icons" / "app.png"


def font_licence_path() -> Path:
    return paths.resources_dir() / "fonts" / FONT_LICENCE_FILE


def chinese_locale() -> QLocale:
    return QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def load_bundled_font(app: QApplication) -> str | None:
    """Register the bundled CJK font and make it the application font. Returns its family, or None."""
    global _font_id
    if _font_id is None or _font_id < 0:
        _font_id = QFontDatabase.addApplicationFont(str(bundled_font_path()))
    families = QFontDatabase.applicationFontFamilies(_font_id) if _font_id >= 0 else []
    if not families:
        log.warning("bundled font not loaded: %s", bundled_font_path())
        return None
    family = FONT_FAMILY if FONT_FAMILY in families else families[0]
    log.info("bundled font %s loaded from %s", family, bundled_font_path())
    font = QFont(app.font())
    font.setFamilies([family])
    app.setFont(font)
    return family


def translation_dirs() -> list[Path]:
    """Where qtbase_zh_CN.qm may be: the bundle's resources first when frozen, then Qt's own folder."""
    dirs = []
    if getattr(sys, "frozen", False):
        dirs.append(paths.resources_dir() / "translations")
    dirs.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    dirs.append(paths.resources_dir() / "translations")
    return dirs


# Qt's own strings that qtbase_zh_CN (Qt 6.6–6.11) lacks: its catalogue still has "Look in:" while the file
# dialog asks for "&Look in:", and it never translated the file-type column. Keyed by (context, source text).
QT_SUPPLEMENT_ZH = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
}


class _SupplementTranslator(QTranslator):
    """Answers only QT_SUPPLEMENT_ZH. Installed first, so Qt asks it last: after qtbase_zh_CN has no answer."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        return QT_SUPPLEMENT_ZH.get((context, source_text))  # None = "not mine", so Qt keeps the source text

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(app: QCoreApplication) -> list[str]:
    """Load Qt's own Chinese strings (standard buttons, file dialogs). Returns the catalogues loaded."""
    loaded = []
    supplement = _SupplementTranslator(app)
    app.installTranslator(supplement)
    _installed.append(supplement)
    for name in QT_TRANSLATIONS:
        translator = QTranslator(app)
        found = next((d for d in translation_dirs() if translator.load(name, str(d))), None)
        if found is not None:
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(name)
            # Logged so a support call can tell from the log that a bundle found Qt's Chinese strings.
            log.info("Qt translation %s loaded from %s", name, found)
        else:
            log.warning("Qt translation %s not found in %s", name, translation_dirs())
    return loaded


def configure_application(app: QApplication) -> None:
    """Names, locale, translations and font: call once, right after the QApplication is made."""
    app.setOrganizationName(APP_ORG)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(chinese_locale())
    install_qt_translations(app)
    load_bundled_font(app)
    icon = app_icon_path()
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def ensure_application() -> QApplication:
    """The running QApplication, or a new configured one (for off-screen rendering and scripts)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else APP_NAME])
        configure_application(app)
    elif FONT_FAMILY not in app.font().families():
        load_bundled_font(app)
    return app
