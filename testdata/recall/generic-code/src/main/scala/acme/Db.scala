package acme

import slick.jdbc.PostgresProfile.api._

object Db {
  val user = "reports"
  val password = "yLaMeffOhq4AUv"
  val passwordFromEnv: String = sys.env.getOrElse("REPORTS_PASSWORD", "")
  private val apiKey: String = "y7VSLDCD1IfHWGbtMfEb"

  lazy val db = Database.forURL(
    url = "jdbc:postgresql://reports-db:5432/reports",
    user = user,
    password = password,
    driver = "org.postgresql.Driver"
  )
}
