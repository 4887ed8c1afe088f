terraform {
  required_version = ">= 1.6"
  required_providers {
    aws    = { source = "hashicorp/aws", version = "~> 5.40" }
    random = { source = "hashicorp/random", version = "~> 3.6" }
  }
}

variable "db_password" {
  description = "Master password for the accounts database"
  type        = string
  sensitive   = true
}

variable "api_key" {
  type      = string
  sensitive = true
  default   = ""
}

variable "secret_name" {
  type    = string
  default = "prod/accounts/db-credentials"
}

variable "password_length" {
  type    = number
  default = 32
}

resource "random_password" "db" {
  length           = var.password_length
  special          = true
  override_special = "!#%*-_=+"
}

resource "aws_db_instance" "accounts" {
  identifier          = "accounts-prod"
  engine              = "postgres"
  engine_version      = "16.2"
  instance_class      = "db.t4g.medium"
  username            = "accounts"
  password            = random_password.db.result
  kms_key_id          = aws_kms_key.db.arn
  storage_encrypted   = true
  skip_final_snapshot = false
}

resource "aws_secretsmanager_secret" "db" {
  name = var.secret_name
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({
    username = aws_db_instance.accounts.username
    password = random_password.db.result
    host     = aws_db_instance.accounts.address
  })
}

resource "aws_kms_key" "db" {
  description             = "accounts database"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

output "db_endpoint" {
  value = aws_db_instance.accounts.endpoint
}
