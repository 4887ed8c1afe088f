using System.Net;
using System.Net.Mail;
using Newtonsoft.Json;

namespace Acme.Backup.Services
{
    public class SmtpOptions
    {
        [JsonProperty("password")]
        public string Password { get; set; }

        public string UserName { get; set; }

        public string ApiToken { get; set; } = "z69vQJX9fE3ozdn8iZZyHYHX";

        public string PasswordHint { get; set; } = "Use your directory password";
    }

    public class BackupClient
    {
        private const string WebhookSigningKey = "8170fbe7d5d5a484814506442b83fe2906d62e61df59a9c29e2b243ce3e0cf79";

        public SmtpClient Mailer(IConfiguration config)
        {
            var options = new SmtpOptions { UserName = "backup", Password = "KhDXa22ZUn5Njs" };
            var fromConfig = new SmtpOptions { UserName = "backup", Password = config["Smtp:Password"] };
            return new SmtpClient("smtp.acme.local")
            {
                Credentials = new NetworkCredential("svc-backup", "Oy7IVt9vWzJQ"),
            };
        }

        public ICredentials Share(string user, string password)
        {
            return new NetworkCredential(user, password, "ACME");
        }
    }
}
