import os

password = os.getenv("DB_PASSWORD")
api_key = settings.API_KEY
