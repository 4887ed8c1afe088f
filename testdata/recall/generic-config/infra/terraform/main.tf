variable "db_password" {
  type      = string
  sensitive = true
  default   = "Ke35WiEkC2vEZ5yV"
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
  password       = "vlBbKk4MThoexy"
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
  api_key = "129ee738eb8c159368946b77b1d3134f"
  app_key = "b305ab99665d934d55cec4f40a041b69ce589293"
}
