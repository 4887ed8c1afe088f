param(
    [string]$Server = "sql01.corp.local"
)

# Refresh the reporting views
Invoke-Sqlcmd -ServerInstance $Server -Username reports -Password 'Ps5k8wQz3x' -Query "EXEC dbo.RefreshViews"
Invoke-Sqlcmd -ServerInstance $Server -Username reports -Password $env:REPORTS_PASSWORD -Query "EXEC dbo.RefreshViews"

# Map the drop share
net use R: \\fs02.corp.local\reports "Nu9v2kWq7m" /user:CORP\svc_reports
