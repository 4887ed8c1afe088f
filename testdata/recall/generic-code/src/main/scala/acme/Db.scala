package acme

import slick.jdbc.PostgresProfile.api._

object Db {
  val user = "reports"
  val password = "ZZW6m4nyoL6uni"
  val passwordFromEnv: String = sys.env.getOrElse("REPORTS_PASSWORD", "")
  private val apiKey: String = "iFw152cTe8r0khCEr7n1"

  lazy val db = Database.forURL(
    url = "jdbc:postgresql://reports-db:5432/reports",
    user = user,
    password = password,
    driver = "org.postgresql.Driver"
  )
}
