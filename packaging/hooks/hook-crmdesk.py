"""PyInstaller hook for crmdesk itself: what import analysis cannot see."""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

from crmdesk import paths, smoke

# The backend registry imports each kind's module by name, when a connection of that kind opens.
hiddenimports = collect_submodules("crmdesk.api.backends")

# Icons and other UI files, under the name crmdesk.paths.resources_dir() looks for when frozen.
datas = [(str(paths.resources_dir()), paths.RESOURCES)]

# The smoke test (and a support request) reports these versions from package metadata, which
# PyInstaller copies only where a library's own hook asks for it.
for name in smoke.PACKAGES:
    datas += copy_metadata(name)
