"""crmdesk's desktop UI: the only package that imports PySide6 and qasync.

`crmdesk.ui.application.run()` starts it; everything else here is the window's parts.
"""
