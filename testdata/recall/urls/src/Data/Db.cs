namespace Acme.Data
{
    public static class Db
    {
        public const string Main = "Server=sql01.corp.local;Database=erp;User ID=erp_app;Password=lP58KMJJYnTBV86S6K;Encrypt=True;TrustServerCertificate=False";
        public const string Odbc = "Driver={ODBC Driver 18 for SQL Server};Server=dwh-sql;Database=dw;UID=etl;PWD=zxsmhYOs6SArB1;";
        public const string Local = "Server=(localdb)\\mssqllocaldb;Database=erp;Trusted_Connection=True;";
        public const string Templated = "Server={0};Database={1};User Id={2};Password={3};";
        public const string FromEnv = "Server=db;Database=erp;User Id=erp;Password=$(DB_PASSWORD);";
    }
}
