"""crmdesk's desktop UI: the only package that imports PySide6 and qasync.

`crmdesk.ui.application.run()` starts it; everything else here is the window's parts.
"""

from crmdesk.ui.pyside_workarounds import keep_singletons_alive

# Before anything below imports PySide6: see the module for the defect this avoids.
keep_singletons_alive()
