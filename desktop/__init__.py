"""County Health Desk — 县域卫生健康规划监测与统计填报.

The names and version here are read by pyproject.toml, build_installer.spec and the About box,
so the installer, the window title and the database stamp never disagree.
"""

__version__ = "0.1.0"
APP_NAME = "County Health Desk"
APP_NAME_ZH = "县域卫生健康规划监测与统计填报"
APP_SHORT_NAME_ZH = "县域卫健规划监测"
APP_ORG = "CountyHealthDesk"
# The folder name under the user's data directory; ASCII so Windows shortcuts never mangle it.
APP_DIR_NAME = "CountyHealthDesk"
