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

        public string ApiToken { get; set; } = "UhtPjX6l6dWDbLE6Zcugmlwn";

        public string PasswordHint { get; set; } = "Use your directory password";
    }

    public class BackupClient
    {
        private const string WebhookSigningKey = "7f7e58c59f8fca2f7c164c8170fbe7d5d5a484814506442b83fe2906d62e61df";

        public SmtpClient Mailer(IConfiguration config)
        {
            var options = new SmtpOptions { UserName = "backup", Password = "k819tutzeJtDQT" };
            var fromConfig = new SmtpOptions { UserName = "backup", Password = config["Smtp:Password"] };
            return new SmtpClient("smtp.acme.local")
            {
                Credentials = new NetworkCredential("svc-backup", "exeRigQzRDV9"),
            };
        }

        public ICredentials Share(string user, string password)
        {
            return new NetworkCredential(user, password, "ACME");
        }
    }
}
