@echo off
rem The rolecall command of the installed Rolecall app: runs the CLI bundled in the app on the
rem app's own Node (Electron run as Node). "Install command-line tool..." puts this folder on the PATH.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Rolecall.exe" "%~dp0..\app.asar\out\main\cli.js" %*
exit /b %ERRORLEVEL%
