region          = "eu-west-1"
admin_password  = "GUQtR7jMmQ6w"
db_password     = var.db_password
source_sha256   = "4d55cec4f40a041b69ce589293095393fc9482985e50a376f4b41f837c53157f"
