# Sign Windows programs with Authenticode (SHA-256) and an RFC 3161 timestamp, when a certificate is
# configured; skip cleanly (exit 0, one line saying so) when none is.
#
#   powershell -NoProfile -ExecutionPolicy Bypass -File packaging\sign.ps1 FILE [FILE...]
#
# Used by .github/workflows/windows.yml for CustDesk.exe and custdesk-cli.exe after PyInstaller, and by
# packaging/installer.nsi for the uninstaller (!uninstfinalize) and the setup (!finalize).
# Works in Windows PowerShell 5.1 (what makensis finds as powershell.exe) and in PowerShell 7.
#
# The certificate comes from the environment (repository secrets in CI, never a file in the repository):
#   CUSTDESK_SIGN_PFX_BASE64  the code-signing certificate with its private key, a .pfx in base64
#   CUSTDESK_SIGN_PASSWORD    the .pfx password
#   CUSTDESK_SIGN_TIMESTAMP   the RFC 3161 timestamp server (default http://timestamp.digicert.com)
# A certificate whose key lives in a hardware or cloud HSM (the rule for certificates issued since June
# 2023) is signed through that provider's signtool plug-in instead: this file is the one place to change.
param([Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)][string[]]$Files)

$ErrorActionPreference = "Stop"

if (-not $env:CUSTDESK_SIGN_PFX_BASE64) {
    Write-Output "Not signed (no certificate configured: CUSTDESK_SIGN_PFX_BASE64 is empty): $($Files -join ', ')"
    exit 0
}

function Find-SignTool {
    $onPath = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    # The Windows SDK on GitHub's Windows runners: the newest x64 signtool.
    $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
    $found = Get-ChildItem -Path $kits -Filter signtool.exe -Recurse -ErrorAction SilentlyContinue |
        Where-Object { $_.Directory.Name -eq "x64" } | Sort-Object FullName -Descending | Select-Object -First 1
    if (-not $found) { throw "signtool.exe not found (Windows SDK) in $kits" }
    return $found.FullName
}

$signtool = Find-SignTool
$timestamp = if ($env:CUSTDESK_SIGN_TIMESTAMP) { $env:CUSTDESK_SIGN_TIMESTAMP } else { "http://timestamp.digicert.com" }
$temp = if ($env:RUNNER_TEMP) { $env:RUNNER_TEMP } else { [System.IO.Path]::GetTempPath() }
$pfx = Join-Path $temp ("custdesk-sign-" + [guid]::NewGuid().ToString("N") + ".pfx")
try {
    [System.IO.File]::WriteAllBytes($pfx, [System.Convert]::FromBase64String($env:CUSTDESK_SIGN_PFX_BASE64))
    $arguments = @("/fd", "SHA256", "/f", $pfx, "/tr", $timestamp, "/td", "SHA256", "/d", "CustDesk")
    if ($env:CUSTDESK_SIGN_PASSWORD) { $arguments += @("/p", $env:CUSTDESK_SIGN_PASSWORD) }
    foreach ($file in $Files) {
        if (-not (Test-Path -LiteralPath $file)) { throw "no file to sign: $file" }
        # The timestamp server is a network service: a few attempts before the build fails.
        $signed = $false
        for ($attempt = 1; $attempt -le 3 -and -not $signed; $attempt++) {
            & $signtool sign @arguments $file
            if ($LASTEXITCODE -eq 0) { $signed = $true } else { Start-Sleep -Seconds (10 * $attempt) }
        }
        if (-not $signed) { throw "signtool could not sign $file (3 attempts)" }
        & $signtool verify /pa /q $file
        if ($LASTEXITCODE -ne 0) { throw "the signature of $file does not verify" }
        Write-Output "Signed and timestamped: $file"
    }
}
catch {
    [Console]::Error.WriteLine("sign.ps1: $_")
    exit 1
}
finally {
    Remove-Item -LiteralPath $pfx -Force -ErrorAction SilentlyContinue
}
exit 0
