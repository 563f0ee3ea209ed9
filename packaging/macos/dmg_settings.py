# dmgbuild settings for crmdesk's disk image: the app and a link to /Applications, side by side.
# packaging/build.py runs it as
#   python -m dmgbuild -s dmg_settings.py -D app=dist/crmdesk.app -D icon=ICNS "crmdesk X.Y.Z" OUT
# dmgbuild executes this file with `defines` (the -D values) in scope.
import os.path

application = defines["app"]  # noqa: F821
app_name = os.path.basename(application)

# Compressed and read-only; APFS would not open on the oldest macOS the app still supports.
format = "UDZO"
filesystem = "HFS+"
files = [application]
symlinks = {"Applications": "/Applications"}
icon = defines.get("icon")  # noqa: F821  (the volume's icon in Finder)

default_view = "icon-view"
window_rect = ((200, 160), (560, 300))
icon_size = 112
text_size = 13
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
icon_locations = {app_name: (150, 130), "Applications": (410, 130)}
