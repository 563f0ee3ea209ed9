; Inno Setup 6 script for crmdesk: a per-user install (no administrator rights) of the onedir
; bundle in dist\crmdesk. packaging\build.py compiles it and passes every /D define below, with
; the version taken from crmdesk.__version__:
;
;   python packaging\build.py installer

#ifndef AppVersion
  #error Define AppVersion (and the others): run packaging\build.py installer
#endif

#define AppName "crmdesk"
#define AppExe "crmdesk.exe"

[Setup]
; Never change the AppId: Windows finds the installed copy by it, so an upgrade replaces the old
; version instead of installing beside it. (The doubled brace is Inno Setup's escape.)
AppId={{7C1D5C16-01CD-4C3A-B2CD-C0C243B052A2}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppNumericVersion}
VersionInfoProductVersion={#AppNumericVersion}
VersionInfoProductTextVersion={#AppVersion}
; Per user: {autopf} is %LOCALAPPDATA%\Programs when running without elevation.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.11 supports Windows 10 1809 and later.
MinVersion=10.0.17763
; A running crmdesk holds its DLLs open: ask to close it rather than fail half-way.
CloseApplications=yes
RestartApplications=no
SetupIconFile={#SetupIconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename={#OutputBaseFilename}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The bundle's file list changes between versions; stale DLLs from an older one must not linger
; next to the new ones. Settings, history and logs live elsewhere and are kept.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
