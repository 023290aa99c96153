"""Plan monitoring screens: the 规划监测 page (indicators against targets, with a chart), the township scorecard,
and the dialog that imports a plan from a pasted indicator table.

Nothing heavy is imported here: the chart module (pyqtgraph) is loaded when a chart is first opened, and
openpyxl only inside the export functions, so building a page costs no start-up time.
"""
