provider "aws" {
  region     = "us-east-1"
  secret_key = "8c9FoRoR8WVKOQUGDrBySk3dABmt5D1TjosONlOu"
  access_key = "AKIAHRNK6U8WSFXAKSIQ"
}

variable "aws_secret_key" {
  type    = string
  default = "6hj3Hu43+FYTMKlomaYvu8OHRPEeEkjdqL6stwCo"
}

variable "aws_access_key" {
  default = "AKIAAYXY8AJYA8LL1K4P"
}
