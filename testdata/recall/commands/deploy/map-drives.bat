@echo off
REM Map the deployment shares and seed the database
net use Z: \\fs02.corp.local\deploy Dp7k2wQz9x /user:CORP\svc_deploy
net use Y: \\fs02.corp.local\logs %LOGS_PASSWORD% /user:CORP\svc_logs
sqlcmd -S sql01.corp.local -U deployer -P Sd3v8kWq5z -i seed.sql
sqlcmd -S sql01.corp.local -U deployer -P %SQL_PASSWORD% -i seed.sql
bcp shop.dbo.orders out orders.dat -S sql01.corp.local -U exporter -PBx6w9kQz2m -c
"C:\Program Files\MySQL\MySQL Server 8.0\bin\mysql.exe" -uroot -pWm5q8kXz3v < seed.sql
