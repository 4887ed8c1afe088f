import os

SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://etl:fvXyRryD0paeQEVDoR@warehouse.corp.local/warehouse"
REPORTING_DB = "mysql+pymysql://report:r3hBIn3EyF7lLqk6@mysql-primary:3306/reports"
CELERY_BROKER_URL = "redis://:7fTMSfD4sjyU6N22x633@redis.queue.svc:6379/1"
MONGO_URI = os.environ.get("MONGO_URI", "mongodb+srv://api:dPx5lYuqoNC3RYoQeYSbNJ@cluster0.a1b2c.mongodb.net/prod")
FTP_EXPORT = "ftp://exports:AvRMjaf1cxisad@ftp.partner.io/outbound/"

# Built at runtime: no literal password.
TEMPLATE_URI = "postgresql://{user}:{password}@{host}:{port}/{db}"
ENV_URI = f"postgresql://{os.environ['PGUSER']}:{os.environ['PGPASSWORD']}@db/app"
FORMAT_URI = "mysql://%s:%s@%s/%s" % ("u", "p", "h", "d")
LIBPQ = "host=pg.corp.local port=5432 dbname=billing user=billing password=wCgnKo7RSvt7ZVWx sslmode=require"
