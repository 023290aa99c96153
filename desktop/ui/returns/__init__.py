"""The 报表 screen: provincial-format returns previewed, exported to Excel/PDF and imported back."""

from desktop.ui.returns.returns_page import ReturnsPage

__all__ = ["ReturnsPage"]
