; CustDesk's Windows installer (NSIS 3, Modern UI 2): one file the owner double-clicks.
;
; - Installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\CustDesk (the folder Windows itself uses for per-user programs).
; - Start-menu and desktop shortcuts; an uninstaller registered in Apps & Features under
;   HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\CustDesk.
; - Upgrades in place: a previous install is found through that key, a running CustDesk is closed (after
;   asking), the old program files are removed and the new ones copied.
; - NEVER touches the owner's bases, backups, logs or settings. They live in the data folder
;   %LOCALAPPDATA%\CustDesk\CustDesk (platformdirs.user_data_dir("CustDesk", "CustDesk"), see
;   custdesk/paths.py) or wherever the owner keeps a base; window state is in HKCU\Software\CustDesk.
;   Neither the installer nor the uninstaller deletes anything but the files it installed: no
;   "RMDir /r $INSTDIR" anywhere, only $INSTDIR\_internal (PyInstaller's library folder), the two
;   programs and the uninstaller, then $INSTDIR itself if it is empty.
; - Refuses, with a message, a 32-bit Windows (the bundle is x64) and a Windows older than Qt 6's
;   minimum, Windows 10 1809 (build 17763).
; - Signs the uninstaller and the setup (Authenticode, timestamped) when makensis is given
;   /DSIGN_SCRIPT=<packaging\sign.ps1>; without it nothing is signed (see "Signing" below).
;
; Build (the version comes from custdesk.__version__ via packaging/version_info.py):
;   makensis /DVERSION=0.1.0 /DVERSION4=0.1.0.0 /DBUNDLE_DIR=dist\CustDesk ^
;            /DOUTFILE=dist\CustDesk-0.1.0-setup.exe /DICON=custdesk\resources\app.ico packaging\installer.nsi
; (on Linux the options start with "-": packaging/build_linux.sh compiles it as a check.)

Unicode true
ManifestDPIAware true
!ifdef NO_COMPRESSION  ; packaging/build_linux.sh: a syntax and packaging check, not a release
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user

!ifndef VERSION
  !error "Give the version: makensis /DVERSION=x.y.z (from custdesk.__version__)"
!endif
!ifndef VERSION4
  !define VERSION4 "${VERSION}.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\dist\CustDesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\CustDesk-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\custdesk\resources\app.ico"
!endif

!define APP "CustDesk"
!define PUBLISHER "CustDesk"
!define APP_EXE "CustDesk.exe"
!define CLI_EXE "custdesk-cli.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define DATA_DIR "$LOCALAPPDATA\${APP}"  ; the parent of the data folder (…\CustDesk\CustDesk)

; Fail the build, not the owner's install, when the bundle is not where it should be.
!if /FileExists "${BUNDLE_DIR}\_internal\*.*"
!else
  !error "No PyInstaller bundle in ${BUNDLE_DIR} (build it first: pyinstaller packaging/custdesk.spec)"
!endif

Name "${APP}"
Caption "${APP} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
BrandingText "${APP} ${VERSION}"
ShowInstDetails hide
ShowUninstDetails hide

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "© ${PUBLISHER}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"
!include "WinVer.nsh"

!define MIN_WINDOWS_BUILD 17763  ; Windows 10 1809 / Server 2019: the oldest Windows Qt 6 supports

; --- Signing (Authenticode with a timestamp), only where a certificate is configured ---------------------
; The workflow passes /DSIGN_SCRIPT=...\packaging\sign.ps1 when the repository has a certificate: the
; uninstaller is signed before it is packed into the setup (!uninstfinalize), the setup once it is written
; (!finalize); %1 is the file. A failed signature (non-zero exit) fails the build. No SIGN_SCRIPT (a fork,
; packaging/build_linux.sh): nothing is signed, and the build is otherwise the same.
; (SIGN_COMMAND, a command line with %1, replaces the PowerShell one: tests/packaging uses it on Linux.)
!ifdef SIGN_SCRIPT
  !ifndef SIGN_COMMAND
    !define SIGN_COMMAND 'powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "${SIGN_SCRIPT}" "%1"'
  !endif
!endif
!ifdef SIGN_COMMAND
  !if ${NSIS_PACKEDVERSION} < 0x03008000
    !error "Signing the uninstaller needs NSIS 3.08 or newer (!uninstfinalize)"
  !endif
  !uninstfinalize '${SIGN_COMMAND}' = 0
  !finalize '${SIGN_COMMAND}' = 0
!endif

Var PreviousDir      ; where the previous install is ("" for a first install)
Var PreviousVersion
Var UpgradeNote      ; shown on the welcome page

; --- Pages ----------------------------------------------------------------------------------------------

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "$(WELCOME_TITLE)"
!define MUI_WELCOMEPAGE_TEXT "$(WELCOME_TEXT)"
!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "$(RUN_NOW)"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(DATA_KEPT)"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The installer speaks the Windows display language when it is one of these (else English).
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Russian"
!insertmacro MUI_LANGUAGE "Finnish"
!insertmacro MUI_LANGUAGE "Farsi"

; --- Messages (every language; $UpgradeNote and friends are filled in at run time) --------------------

LangString WELCOME_TITLE ${LANG_ENGLISH} "Install ${APP} ${VERSION}"
LangString WELCOME_TITLE ${LANG_RUSSIAN} "Установка ${APP} ${VERSION}"
LangString WELCOME_TITLE ${LANG_FINNISH} "Asenna ${APP} ${VERSION}"
LangString WELCOME_TITLE ${LANG_FARSI} "نصب ${APP} ${VERSION}"

LangString WELCOME_TEXT ${LANG_ENGLISH} "Setup will install ${APP} ${VERSION} for you; no administrator rights are needed.$\r$\n$\r$\n$UpgradeNote$\r$\n$\r$\nYour bases and backups stay in ${DATA_DIR}: setup never changes them.$\r$\n$\r$\nClick Next to continue."
LangString WELCOME_TEXT ${LANG_RUSSIAN} "Программа установит ${APP} ${VERSION} для вас; права администратора не нужны.$\r$\n$\r$\n$UpgradeNote$\r$\n$\r$\nВаши базы и резервные копии остаются в папке ${DATA_DIR}: установка их никогда не меняет.$\r$\n$\r$\nНажмите «Далее», чтобы продолжить."
LangString WELCOME_TEXT ${LANG_FINNISH} "Asennus asentaa ${APP} ${VERSION} -ohjelman sinulle; järjestelmänvalvojan oikeuksia ei tarvita.$\r$\n$\r$\n$UpgradeNote$\r$\n$\r$\nTietokantasi ja varmuuskopiosi pysyvät kansiossa ${DATA_DIR}: asennus ei koskaan muuta niitä.$\r$\n$\r$\nJatka valitsemalla Seuraava."
LangString WELCOME_TEXT ${LANG_FARSI} "این برنامه ${APP} ${VERSION} را برای شما نصب می‌کند و به دسترسی مدیر سیستم نیازی نیست.$\r$\n$\r$\n$UpgradeNote$\r$\n$\r$\nپایگاه‌ها و نسخه‌های پشتیبان شما در ${DATA_DIR} می‌مانند و نصب هرگز آن‌ها را تغییر نمی‌دهد.$\r$\n$\r$\nبرای ادامه «بعدی» را بزنید."

LangString UPGRADE_NOTE ${LANG_ENGLISH} "${APP} $PreviousVersion is installed in $PreviousDir; it will be updated in place."
LangString UPGRADE_NOTE ${LANG_RUSSIAN} "${APP} $PreviousVersion уже установлен в папке $PreviousDir; он будет обновлён на месте."
LangString UPGRADE_NOTE ${LANG_FINNISH} "${APP} $PreviousVersion on asennettu kansioon $PreviousDir; se päivitetään paikallaan."
LangString UPGRADE_NOTE ${LANG_FARSI} "${APP} $PreviousVersion در $PreviousDir نصب شده است و در همان‌جا به‌روز می‌شود."

LangString FIRST_NOTE ${LANG_ENGLISH} "It goes into $INSTDIR, with shortcuts in the Start menu and on the desktop."
LangString FIRST_NOTE ${LANG_RUSSIAN} "Программа будет установлена в папку $INSTDIR, с ярлыками в меню «Пуск» и на рабочем столе."
LangString FIRST_NOTE ${LANG_FINNISH} "Ohjelma asennetaan kansioon $INSTDIR, ja pikakuvakkeet lisätään Käynnistä-valikkoon ja työpöydälle."
LangString FIRST_NOTE ${LANG_FARSI} "برنامه در $INSTDIR نصب می‌شود و میان‌برهایی در منوی شروع و روی میز کار ساخته می‌شود."

LangString APP_RUNNING ${LANG_ENGLISH} "${APP} is running and must be closed to continue.$\r$\n$\r$\nClick OK to close it now (as when you close its window), or Cancel to stop."
LangString APP_RUNNING ${LANG_RUSSIAN} "${APP} запущен, и его нужно закрыть, чтобы продолжить.$\r$\n$\r$\nНажмите «ОК», чтобы закрыть его сейчас (как при закрытии окна), или «Отмена», чтобы прервать."
LangString APP_RUNNING ${LANG_FINNISH} "${APP} on käynnissä, ja se on suljettava ennen jatkamista.$\r$\n$\r$\nSulje se nyt valitsemalla OK (kuin sulkisit sen ikkunan) tai keskeytä valitsemalla Peruuta."
LangString APP_RUNNING ${LANG_FARSI} "${APP} در حال اجراست و برای ادامه باید بسته شود.$\r$\n$\r$\nبرای بستن آن (مانند بستن پنجره‌اش) «تأیید» و برای توقف «لغو» را بزنید."

LangString STILL_RUNNING ${LANG_ENGLISH} "${APP} is still running. Close every ${APP} window (and custdesk-cli), then click Retry."
LangString STILL_RUNNING ${LANG_RUSSIAN} "${APP} всё ещё запущен. Закройте все окна ${APP} (и custdesk-cli) и нажмите «Повтор»."
LangString STILL_RUNNING ${LANG_FINNISH} "${APP} on yhä käynnissä. Sulje kaikki ${APP}-ikkunat (ja custdesk-cli) ja valitse Yritä uudelleen."
LangString STILL_RUNNING ${LANG_FARSI} "${APP} هنوز در حال اجراست. همهٔ پنجره‌های ${APP} (و custdesk-cli) را ببندید و سپس «تلاش دوباره» را بزنید."

LangString DATA_KEPT ${LANG_ENGLISH} "${APP} will be removed from this computer. Your bases and backups in ${DATA_DIR} are not touched: they stay where they are."
LangString DATA_KEPT ${LANG_RUSSIAN} "${APP} будет удалён с этого компьютера. Ваши базы и резервные копии в папке ${DATA_DIR} не затрагиваются: они остаются на месте."
LangString DATA_KEPT ${LANG_FINNISH} "${APP} poistetaan tästä tietokoneesta. Tietokantoihisi ja varmuuskopioihisi kansiossa ${DATA_DIR} ei kosketa: ne jäävät paikoilleen."
LangString DATA_KEPT ${LANG_FARSI} "${APP} از این رایانه حذف می‌شود. پایگاه‌ها و نسخه‌های پشتیبان شما در ${DATA_DIR} دست نمی‌خورند و سر جای خود می‌مانند."

LangString DATA_FOLDER ${LANG_ENGLISH} "This is the folder of your bases and backups. Choose another folder for the program."
LangString DATA_FOLDER ${LANG_RUSSIAN} "Это папка ваших баз и резервных копий. Выберите для программы другую папку."
LangString DATA_FOLDER ${LANG_FINNISH} "Tämä on tietokantojesi ja varmuuskopioidesi kansio. Valitse ohjelmalle toinen kansio."
LangString DATA_FOLDER ${LANG_FARSI} "این پوشهٔ پایگاه‌ها و نسخه‌های پشتیبان شماست. برای برنامه پوشهٔ دیگری انتخاب کنید."

LangString NEEDS_X64 ${LANG_ENGLISH} "${APP} needs a 64-bit Windows (x64). This PC runs a 32-bit Windows, so ${APP} cannot be installed on it."
LangString NEEDS_X64 ${LANG_RUSSIAN} "Для ${APP} нужна 64-разрядная Windows (x64). На этом компьютере 32-разрядная Windows, поэтому установить ${APP} на него нельзя."
LangString NEEDS_X64 ${LANG_FINNISH} "${APP} tarvitsee 64-bittisen Windowsin (x64). Tässä tietokoneessa on 32-bittinen Windows, joten ${APP}-ohjelmaa ei voi asentaa siihen."
LangString NEEDS_X64 ${LANG_FARSI} "${APP} به ویندوز ۶۴ بیتی (x64) نیاز دارد. ویندوز این رایانه ۳۲ بیتی است، پس ${APP} را نمی‌توان روی آن نصب کرد."

LangString NEEDS_WIN10 ${LANG_ENGLISH} "${APP} needs Windows 10 version 1809 or newer (or Windows 11). Update Windows, then run this setup again."
LangString NEEDS_WIN10 ${LANG_RUSSIAN} "Для ${APP} нужна Windows 10 версии 1809 или новее (или Windows 11). Обновите Windows и запустите установку снова."
LangString NEEDS_WIN10 ${LANG_FINNISH} "${APP} tarvitsee Windows 10:n version 1809 tai uudemman (tai Windows 11:n). Päivitä Windows ja suorita asennus sitten uudelleen."
LangString NEEDS_WIN10 ${LANG_FARSI} "${APP} به ویندوز ۱۰ نسخهٔ ۱۸۰۹ یا جدیدتر (یا ویندوز ۱۱) نیاز دارد. ویندوز را به‌روز کنید و سپس این برنامهٔ نصب را دوباره اجرا کنید."

LangString RUN_NOW ${LANG_ENGLISH} "Start ${APP} now"
LangString RUN_NOW ${LANG_RUSSIAN} "Запустить ${APP} сейчас"
LangString RUN_NOW ${LANG_FINNISH} "Käynnistä ${APP} nyt"
LangString RUN_NOW ${LANG_FARSI} "اکنون ${APP} را اجرا کن"

; --- Closing a running CustDesk (installer and uninstaller) --------------------------------------------
; Windows keeps a running program's .exe open without write sharing: if either program file cannot be
; opened for appending, CustDesk (or custdesk-cli) is running from this folder. No plugin is needed.

!macro IS_RUNNING_FN PREFIX
Function ${PREFIX}IsRunning  ; pushes 1 when a program in $INSTDIR is running, else 0
  Push $0
  Push $1
  StrCpy $1 0
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${APP_EXE}" a
    ${If} ${Errors}
      StrCpy $1 1
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\${CLI_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${CLI_EXE}" a
    ${If} ${Errors}
      StrCpy $1 1
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
  Exch $1  ; result on the stack, $1 restored
  Exch
  Pop $0
FunctionEnd

Function ${PREFIX}CloseRunningApp  ; asks, closes CustDesk gracefully, waits; aborts when the owner cancels
  Push $0
  Push $1
  Call ${PREFIX}IsRunning
  Pop $0
  ${If} $0 == 1
    MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(APP_RUNNING)" /SD IDOK IDOK close
    Quit
    close:
    ; Without /F taskkill posts WM_CLOSE: CustDesk closes as if its window were closed.
    nsExec::Exec '"$SYSDIR\taskkill.exe" /IM "${APP_EXE}"'
    Pop $1
    retry:
    StrCpy $1 0
    ${Do}  ; up to 15 s for CustDesk to finish and close its base
      Call ${PREFIX}IsRunning
      Pop $0
      ${IfThen} $0 == 0 ${|} ${ExitDo} ${|}
      Sleep 500
      IntOp $1 $1 + 1
    ${LoopUntil} $1 >= 30
    ${If} $0 == 1
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(STILL_RUNNING)" /SD IDCANCEL IDRETRY retry
      SetErrorLevel 5
      Quit
    ${EndIf}
  ${EndIf}
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro IS_RUNNING_FN ""
!insertmacro IS_RUNNING_FN "un."

; Removes exactly what the installer put in $INSTDIR (the bundle's two programs and its library folder,
; the uninstaller) and never anything else: a base saved into the program folder by mistake survives.
!macro REMOVE_PROGRAM_FILES
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
!macroend

; --- Install -------------------------------------------------------------------------------------------

Function .onInit
  ; Before anything else: the x64 bundle does not start on a 32-bit Windows, and Qt 6 not on a Windows
  ; older than 10 1809. A silent install (/S) exits with code 2 and writes nothing.
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(NEEDS_X64)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MIN_WINDOWS_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "$(NEEDS_WIN10)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  SetShellVarContext current
  ReadRegStr $PreviousDir HKCU "${UNINST_KEY}" "InstallLocation"
  ReadRegStr $PreviousVersion HKCU "${UNINST_KEY}" "DisplayVersion"
  ${If} $PreviousDir != ""
  ${AndIf} ${FileExists} "$PreviousDir\${APP_EXE}"
    StrCpy $INSTDIR $PreviousDir  ; an upgrade goes where the previous version is
    StrCpy $UpgradeNote "$(UPGRADE_NOTE)"
  ${Else}
    StrCpy $PreviousDir ""
    StrCpy $UpgradeNote "$(FIRST_NOTE)"
  ${EndIf}
FunctionEnd

Function SkipDirectoryOnUpgrade
  ${If} $PreviousDir != ""
    Abort  ; skips the page: the folder is the previous install's
  ${EndIf}
FunctionEnd

Function .onVerifyInstDir
  ; Never install into the data folder (or its parent): bases and backups live there.
  ${If} $INSTDIR == "${DATA_DIR}"
  ${OrIf} $INSTDIR == "${DATA_DIR}\${APP}"
  ${OrIf} $INSTDIR == "$LOCALAPPDATA"
    Abort "$(DATA_FOLDER)"
  ${EndIf}
FunctionEnd

Section "${APP}" SecMain
  SectionIn RO
  SetShellVarContext current
  Call CloseRunningApp
  SetOutPath "$INSTDIR"
  ${If} $PreviousDir != ""
    DetailPrint "Removing the program files of ${APP} $PreviousVersion (bases and backups are not here)"
    !insertmacro REMOVE_PROGRAM_FILES
  ${EndIf}

  File /r "${BUNDLE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortCut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortCut "$DESKTOP\${APP}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0  ; in KiB
SectionEnd

; --- Uninstall -----------------------------------------------------------------------------------------

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.CloseRunningApp
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  !insertmacro REMOVE_PROGRAM_FILES
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"  ; only when empty: whatever else is in it stays
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; Not removed, on purpose: the data folder ${DATA_DIR} (bases, backups, logs) and the window
  ; state in HKCU\Software\${APP}: a reinstall finds everything as it was.
SectionEnd
