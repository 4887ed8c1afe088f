region          = "eu-west-1"
admin_password  = "F0ytjr3eGtrG"
db_password     = var.db_password
source_sha256   = "5e50a376f4b41f837c53157f412e6e5c354ba6025bbd854077e482b10af2c428"
