variable "db_password" {
  type      = string
  sensitive = true
  default   = "q59g1GoqUMHDPOGZ"
}

variable "admin_password" {
  type      = string
  sensitive = true
}

resource "random_password" "replica" {
  length  = 24
  special = true
}

resource "aws_db_instance" "main" {
  identifier     = "shop-main"
  engine         = "postgres"
  username       = "shop"
  password       = "eGNBxJKk86uydF"
  instance_class = "db.t3.medium"
}

resource "aws_db_instance" "replica" {
  identifier = "shop-replica"
  username   = "shop"
  password   = random_password.replica.result
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "shop-cache"
  auth_token           = var.cache_auth_token
}

provider "datadog" {
  api_key = "1d930b3b98197a9d2c8b382f320ae12e"
  app_key = "0a6a24f5eafca5d05372bc129ee738eb8c159368"
}
