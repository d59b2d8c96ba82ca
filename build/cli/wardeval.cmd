@echo off
rem wardeval: the command-line interface of this WardEval installation (runs WardEval.exe --cli).
"%~dp0..\..\WardEval.exe" --cli %*
exit /b %ERRORLEVEL%
